// Security headers for pages, built per request in proxy.ts (the CSP carries a
// fresh nonce that Next.js puts on its own scripts). No imports beyond the
// platform: the proxy runs before anything else and must stay cheap.

export type PageHeaderOptions = {
  nonce: string;
  dev: boolean;
  https: boolean;
  /** Origins sign-in forms may post to or be redirected through (OAuth providers). */
  formTargets: string[];
};

export function contentSecurityPolicy(o: PageHeaderOptions): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts Next.js loads from a nonced script are trusted, nothing else
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ""}`,
    // React writes style attributes and the toaster injects a <style>: no nonce can cover those
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${o.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${o.formTargets.map((t) => ` ${t}`).join("")}`,
    // the dashboard's buttons (rotate, delete) must not be clickjacked inside another site's frame
    "frame-ancestors 'none'",
    ...(o.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export function pageSecurityHeaders(o: PageHeaderOptions): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(o),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    ...(o.https && { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" }),
  };
}

/** Every answer, whatever renders it (set in next.config.ts; the proxy adds the CSP to pages). */
export const ALL_SECURITY_HEADERS: Record<string, string> = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
};

/** API answers (/api and /v1, next.config.ts): never cached, never a referrer. */
export const API_SECURITY_HEADERS: Record<string, string> = {
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
};
