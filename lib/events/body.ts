import { isStorableJson, isStorableText, malformedJson } from "@/lib/core/body";

export type ParsedBody = { payload: unknown; contentType: string | null };

/**
 * JSON is stored parsed, forms as an object, anything else as text with its
 * content type. curl's `--data '{"a":1}'` sends JSON labelled as a form: a
 * form body that is exactly one JSON object or array is stored as JSON.
 */
export function parseEventBody(raw: Uint8Array, contentTypeHeader: string | null): ParsedBody {
  const contentType = contentTypeHeader?.split(";")[0].trim().toLowerCase() || null;
  if (!raw.byteLength) return { payload: null, contentType };
  const text = new TextDecoder().decode(raw);
  // What PostgreSQL cannot hold as text or jsonb (NUL, broken UTF-8) is kept byte for byte as base64.
  const binary = {
    payload: { base64: Buffer.from(raw).toString("base64") },
    contentType: contentType ?? "application/octet-stream",
  };
  if (!isStorableText(text) || text.includes("\uFFFD")) return binary;
  if (contentType === "application/json" || contentType?.endsWith("+json")) {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (error) {
      throw malformedJson(error);
    }
    return isStorableJson(payload) ? { payload, contentType } : binary;
  }
  if (contentType === "application/x-www-form-urlencoded") {
    const json = jsonInForm(text);
    if (json !== undefined)
      return isStorableJson(json) ? { payload: json, contentType: "application/json" } : binary;
    // null prototype: a field named __proto__ or constructor is kept as sent, like any other
    const out: Record<string, string | string[]> = Object.create(null);
    for (const [k, v] of new URLSearchParams(text)) {
      const prev = out[k];
      // appended in place: copying the list for each repeat made `a&a&a…` quadratic
      if (Array.isArray(prev)) prev.push(v);
      else out[k] = prev === undefined ? v : [prev, v];
    }
    // JSON.parse makes every key an own property of a plain object (what the database driver expects)
    return isStorableJson(out) ? { payload: JSON.parse(JSON.stringify(out)), contentType } : binary;
  }
  return { payload: text, contentType };
}

/** The JSON object or array a form body really is, or undefined when it is a form. */
function jsonInForm(text: string): unknown {
  const t = text.trim();
  if (!((t.startsWith("{") && t.endsWith("}")) || (t.startsWith("[") && t.endsWith("]"))))
    return undefined;
  try {
    const value = JSON.parse(t);
    return value && typeof value === "object" ? value : undefined;
  } catch {
    return undefined;
  }
}
