import { z } from "zod";
import { splitUrlTemplate } from "./template";

// What each kind of ability is configured with: checked by the skillset routes and the ability
// form, read again (with the stored credentials laid back in) when the ability runs.

export const headersField = z
  .record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/, "must be a header name"), z.string().max(4000))
  .refine((h) => Object.keys(h).length <= 20, "at most 20 headers");

const urlTemplate = z
  .string()
  .trim()
  .max(2000)
  .superRefine((u, ctx) => {
    const split = splitUrlTemplate(u);
    if (!split.ok) ctx.addIssue({ code: "custom", message: split.error });
  });

export const httpRequestConfig = z.object({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("GET"),
  url: urlTemplate,
  headers: headersField.optional(),
  body: z.string().max(20_000).optional(),
  timeoutMs: z.number().int().min(500).max(30_000).default(10_000),
});

export const webhookConfig = z.object({
  url: urlTemplate,
  secret: z.string().max(200).optional(),
  headers: headersField.optional(),
  timeoutMs: z.number().int().min(500).max(30_000).default(10_000),
});
