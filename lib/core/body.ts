import { ApiError } from "./errors";

export const MiB = 1024 * 1024;
const KiB = 1024;

/**
 * The most a request body may hold, per route, in one table: a body past its
 * limit is answered 413 as soon as its declared length (or, when it is sent in
 * chunks, the bytes read so far) passes it, without reading the rest.
 * Most specific prefix first; every route not listed gets the last row.
 */
export const BODY_LIMITS: readonly { prefix: string; bytes: number; what: string }[] = [
  { prefix: "/api/auth/", bytes: 16 * KiB, what: "sign-in, sign-out and sign-up forms" },
  { prefix: "/api/inngest", bytes: 4 * MiB, what: "Inngest's calls (a run's step results)" },
  { prefix: "/api/v1/", bytes: MiB, what: "the REST API and the event endpoint" },
  { prefix: "/", bytes: MiB, what: "anything else" },
];

export function bodyLimitFor(pathname: string): number {
  return BODY_LIMITS.find((l) => pathname.startsWith(l.prefix))!.bytes;
}

/** Reads a request body as bytes, failing with 413 as soon as it passes `limit` (never buffers more). */
export async function readBodyLimited(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function tooLarge(limit: number) {
  return new ApiError(
    "CONTENT_TOO_LARGE",
    `Request body is larger than the ${formatBytes(limit)} limit`,
  );
}

function formatBytes(n: number) {
  return n >= MiB ? `${n / MiB} MiB` : `${Math.round(n / 1024)} KiB`;
}

/** PostgreSQL text and jsonb cannot hold NUL or unpaired surrogates; such input is refused, not a 500. */
export function isStorableText(s: string): boolean {
  return !s.includes("\u0000") && s.isWellFormed();
}

/**
 * Text from outside that is kept (an answer's body, an MCP server's description, a tool's
 * output) made storable: NUL and unpaired surrogates (a cut emoji) become U+FFFD, and at most
 * `max` UTF-16 units are kept, never half a character. PostgreSQL refuses both in text and jsonb.
 */
export function storableText(s: string, max = Infinity): string {
  const cut = s.length > max ? s.slice(0, max) : s;
  return cut.includes("\u0000") || !cut.isWellFormed()
    ? cut.replaceAll("\u0000", "\uFFFD").toWellFormed()
    : cut;
}

/** A JSON value with every string (keys included) made storable; deeper than 64 levels, null. */
export function storableJson(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return storableText(value);
  if (depth >= 64) return null;
  if (Array.isArray(value)) return value.map((v) => storableJson(v, depth + 1));
  if (value && typeof value === "object" && !(value instanceof Date))
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [storableText(k), storableJson(v, depth + 1)]),
    );
  return value;
}

/** Every string in a parsed JSON value (keys included) is storable. */
export function isStorableJson(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (typeof value === "string") return isStorableText(value);
  if (Array.isArray(value)) return value.every((v) => isStorableJson(v, depth + 1));
  if (value && typeof value === "object") {
    return Object.entries(value).every(
      ([k, v]) => isStorableText(k) && isStorableJson(v, depth + 1),
    );
  }
  return true;
}

const UNSTORABLE =
  "Strings must not contain NUL characters or unpaired surrogates, nor nest deeper than 64 levels";

/** Management routes take JSON; an empty body means `{}` (the SDK sends none on some POSTs). */
/**
 * Why a body is not JSON, without quoting it: V8's message repeats the input
 * (a password, a payload), and the message reaches the client and the log.
 */
export function malformedJson(error: unknown): ApiError {
  const message = error instanceof Error ? error.message : "";
  const at = /at position (\d+)/.exec(message)?.[1];
  const where = /Unexpected end of JSON input/.test(message)
    ? "it ends before the value is complete"
    : at
      ? `the problem is at character ${Number(at) + 1}`
      : "check the quotes, commas and brackets";
  return new ApiError("BAD_REQUEST", `Malformed JSON body: ${where}`);
}

export async function readJsonBody(req: Request, limit = MiB): Promise<unknown> {
  const bytes = await readBodyLimited(req, limit);
  const text = new TextDecoder().decode(bytes).trim();
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw malformedJson(error);
  }
  if (!isStorableJson(value)) throw new ApiError("BAD_REQUEST", UNSTORABLE);
  return value;
}

/** Query string to a plain object; `meta.KEY=VALUE` pairs are gathered under `meta`. */
export function parseQuery(url: URL): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const meta: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (!isStorableText(key) || !isStorableText(value))
      throw new ApiError("BAD_REQUEST", `Query string: ${UNSTORABLE}`);
    if (key.startsWith("meta.") && key.length > 5) meta[key.slice(5)] = value;
    else out[key] = value;
  }
  if (Object.keys(meta).length) out.meta = meta;
  return out;
}
