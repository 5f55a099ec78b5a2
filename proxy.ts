import { NextResponse, type NextRequest } from "next/server";
import { pageSecurityHeaders } from "@/lib/http/security-headers";

// Pages: a cheap first gate (no session cookie, no page; the (app) layout
// verifies the session itself) and the security headers, with a fresh CSP
// nonce per request. /v1/... is ChatBotKit's path for the same API: it is
// rewritten to /api/v1/... here. /api paths and the event URL (its own route
// file, app/v1/.../event) never come here, so the event endpoint pays nothing,
// except the rare path with a `%`, whose percent-encoding must be checked
// before the router can choke on it.
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];
const PUBLIC_PAGES = ["/signin", "/signup"];

const dev = process.env.NODE_ENV === "development";
const https = (process.env.APP_URL ?? "").startsWith("https:");
const formTargets = [
  ...(process.env.AUTH_GITHUB_ID ? ["https://github.com"] : []),
  ...(process.env.AUTH_OIDC_ISSUER ? [safeOrigin(process.env.AUTH_OIDC_ISSUER)] : []),
].filter(Boolean);

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}

export function proxy(req: NextRequest) {
  const { pathname } = req.nextUrl;
  if (pathname.startsWith("/api/") || pathname.startsWith("/v1/")) {
    try {
      decodeURIComponent(pathname);
    } catch {
      return NextResponse.json(
        { message: "Malformed percent-encoding in the path", code: "BAD_REQUEST" },
        { status: 400 },
      );
    }
    if (pathname.startsWith("/v1/")) {
      const url = req.nextUrl.clone();
      url.pathname = `/api${pathname}`;
      return NextResponse.rewrite(url);
    }
    return NextResponse.next();
  }
  const nonce = btoa(crypto.randomUUID());
  const headers = pageSecurityHeaders({ nonce, dev, https, formTargets });
  let res: NextResponse;
  if (PUBLIC_PAGES.includes(pathname) || SESSION_COOKIES.some((name) => req.cookies.has(name))) {
    // Next.js reads the nonce from the request's CSP header and puts it on its scripts.
    const forwarded = new Headers(req.headers);
    forwarded.set("x-nonce", nonce);
    forwarded.set("content-security-policy", headers["Content-Security-Policy"]);
    res = NextResponse.next({ request: { headers: forwarded } });
  } else {
    const url = req.nextUrl.clone();
    url.pathname = "/signin";
    url.search = `?callbackUrl=${encodeURIComponent(pathname + req.nextUrl.search)}`;
    // 303 for a POST (or any non-GET): the client comes back with a GET, never re-sending its
    // body to the sign-in page, which would read it as a form submission
    res = NextResponse.redirect(url, req.method === "GET" || req.method === "HEAD" ? 307 : 303);
  }
  for (const [name, value] of Object.entries(headers)) res.headers.set(name, value);
  return res;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|v1/|_next|favicon.ico|icon.svg|.*\\.(?:svg|png|ico|txt|webmanifest)$).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
    "/:prefix(api|v1)/:rest(.*%.*)",
    // every /v1 path but the event URL, which has a route of its own
    "/v1/:rest((?!integration/trigger/[^/]+/event$).*)",
  ],
};
