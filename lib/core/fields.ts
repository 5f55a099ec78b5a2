import { z } from "zod";
import { hasIdShape } from "./ids";

// Field schemas shared by every entity, so limits are the same everywhere.
export const LIMITS = {
  name: 255,
  description: 2000,
  backstory: 20_000,
  metaBytes: 8 * 1024,
  metaKeys: 50,
  id: 100,
} as const;

export const nameField = z.string().trim().min(1, "must not be empty").max(LIMITS.name);
export const descriptionField = z.string().max(LIMITS.description);
export const idRef = z.string().trim().min(1, "must not be empty").max(LIMITS.id);

/**
 * ChatBotKit's `alias`: a name of the owner's choosing, unique among the owner's resources of one
 * kind, that fetch accepts in place of the id. It cannot look like an id (`bot_01H…`), so an id
 * and an alias never mean two things.
 */
export const aliasField = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
  )
  .refine((v) => !hasIdShape(v), "must not look like an id");

/**
 * A URL the server will call: http(s) only, no credentials in it (`hint` says where they go
 * instead). Whether the host may be reached is the outbound guard's decision at call time.
 */
export function outboundUrlField(hint = "") {
  return z
    .string()
    .trim()
    .max(2000)
    .superRefine((u, ctx) => {
      let url: URL;
      try {
        url = new URL(u);
      } catch {
        return ctx.addIssue({ code: "custom", message: "must be an http(s) URL" });
      }
      if (url.protocol !== "https:" && url.protocol !== "http:")
        ctx.addIssue({ code: "custom", message: "must be an http(s) URL" });
      else if (url.username || url.password)
        ctx.addIssue({ code: "custom", message: `must not carry credentials${hint}` });
    });
}

export const metaField = z
  .record(z.string().max(64), z.unknown())
  .refine(
    (m) => Object.keys(m).length <= LIMITS.metaKeys,
    `must have at most ${LIMITS.metaKeys} keys`,
  )
  .refine(
    (m) => JSON.stringify(m).length <= LIMITS.metaBytes,
    `must be at most ${LIMITS.metaBytes} bytes as JSON`,
  );

export const metaFilter = z
  .record(
    z.string().regex(/^[\w.-]{1,64}$/, "meta keys are letters, digits, _ . -"),
    z.string().max(255),
  )
  .refine((m) => Object.keys(m).length <= 10, "at most 10 meta filters");

/** A time the database can hold: the years 1 to 9999 (PostgreSQL has no year 0; JavaScript's reach far wider). */
const storableYear = (d: Date) => {
  const year = d.getUTCFullYear();
  return year >= 1 && year <= 9999;
};
const YEARS = "must be a time between the years 1 and 9999";

/** An ISO 8601 date-time with an offset or Z (a query's `from`, `to`, `since`). */
export const isoTimeField = z.iso
  .datetime({ offset: true })
  .refine((s) => storableYear(new Date(s)), YEARS);

/** A date or date-time, read as a Date (the usage range). */
export const dateField = (error: string) => z.coerce.date({ error }).refine(storableYear, YEARS);

/** Whether an update body changes anything (an empty one is a no-op, not an empty UPDATE). */
export const hasChanges = (input: object) => Object.values(input).some((v) => v !== undefined);

/** A timestamp as the API writes it; a required date stays a string in the serializers' types. */
export function iso(d: Date): string;
export function iso(d: Date | null | undefined): string | null;
export function iso(d: Date | null | undefined) {
  return d ? d.toISOString() : null;
}
