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
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, path: string) => {
    const value = path.split(".").reduce<unknown>((acc, key) => {
      if (acc && typeof acc === "object" && Object.prototype.hasOwnProperty.call(acc, key)) {
        return (acc as Record<string, unknown>)[key];
      }
      return undefined;
    }, scope);
    if (value === undefined || value === null) return "";
    return encode(typeof value === "object" ? JSON.stringify(value) : String(value));
  });
}

/** Inside a JSON body a value is inserted as the contents of a JSON string. */
export const jsonStringContent = (v: string) => JSON.stringify(v).slice(1, -1);
