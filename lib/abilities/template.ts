/**
 * `{{path.to.value}}` placeholders, resolved against the tool input and the
 * event: `{{input.orderId}}`, `{{event.payload.customer.email}}`, `{{event.text}}`.
 * Objects render as JSON; missing values as an empty string. `encode` is applied
 * to each value (URL-encoding in URLs, JSON-escaping in JSON bodies).
 */
export function renderTemplate(
  template: string,
  scope: Record<string, unknown>,
  encode: (value: string) => string = (v) => v,
): string {
  return template.replace(PLACEHOLDER, (_, path: string) => {
    const value = lookupPath(scope, path);
    if (value === undefined || value === null) return "";
    return encode(typeof value === "object" ? JSON.stringify(value) : String(value));
  });
}

export const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

/** `a.b.c` in `scope`, own properties only (never `__proto__` or `constructor`). */
export function lookupPath(scope: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((acc, key) => {
    if (acc && typeof acc === "object" && Object.prototype.hasOwnProperty.call(acc, key)) {
      return (acc as Record<string, unknown>)[key];
    }
    return undefined;
  }, scope);
}

/** Inside a JSON body a value is inserted as the contents of a JSON string. */
export const jsonStringContent = (v: string) => JSON.stringify(v).slice(1, -1);

/**
 * A value placed in a URL's path or query: every reserved character is
 * percent-encoded, dots included, so `..` or `a/b` stays one opaque value and
 * cannot walk the path.
 */
export const encodeUrlValue = (v: string) =>
  encodeURIComponent(v).replace(
    /[.!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

const URL_TEMPLATE = /^(https?):\/\/([^/?#]*)(.*)$/is;

/**
 * A URL template's fixed origin and the rest. Placeholders may fill the path
 * and query only: scheme, host and port are the template's own.
 */
export function splitUrlTemplate(
  template: string,
): { ok: true; origin: URL; rest: string } | { ok: false; error: string } {
  const m = URL_TEMPLATE.exec(template.trim());
  if (!m) return { ok: false, error: "must start with http:// or https://" };
  const [, scheme, authority, rest] = m;
  if (authority.includes("{{"))
    return { ok: false, error: "placeholders may fill the path and query, never the host or port" };
  if (authority.includes("@")) return { ok: false, error: "must not contain user:password@" };
  let origin: URL;
  try {
    origin = new URL(`${scheme.toLowerCase()}://${authority}`);
  } catch {
    return { ok: false, error: "has an invalid host" };
  }
  if (!origin.hostname) return { ok: false, error: "has no host" };
  return { ok: true, origin, rest };
}

/** The request target of a URL template: its fixed origin, and the rendered path and query sent as they are. */
export function renderUrl(
  template: string,
  scope: Record<string, unknown>,
): { origin: URL; path: string } {
  const split = splitUrlTemplate(template);
  if (!split.ok) throw new Error(`The URL template ${split.error}`);
  let path = renderTemplate(split.rest, scope, encodeUrlValue).split("#")[0];
  if (!path.startsWith("/")) path = `/${path}`;
  // characters the template itself wrote unescaped (spaces, non-ASCII) are escaped as a browser would
  path = path.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
  return { origin: split.origin, path };
}
