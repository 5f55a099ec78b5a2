import { NextResponse, type NextRequest } from "next/server";

// A cheap first gate for pages: no session cookie, no page. The (app) layout
// verifies the session itself; API routes answer 401 JSON instead of redirecting.
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];
const PUBLIC_PAGES = ["/signin", "/signup"];

export function proxy(req: NextRequest) {
  const { pathname } = req.nextUrl;
  if (pathname.startsWith("/api/") || pathname.startsWith("/v1/")) {
    // A path that is not valid percent-encoding would make the router throw: answer it here.
    try {
      decodeURIComponent(pathname);
    } catch {
      return NextResponse.json(
        { message: "Malformed percent-encoding in the path", code: "BAD_REQUEST" },
        { status: 400 },
      );
    }
    return NextResponse.next();
  }
  if (PUBLIC_PAGES.includes(pathname) || SESSION_COOKIES.some((name) => req.cookies.has(name)))
    return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = "/signin";
  url.search = `?callbackUrl=${encodeURIComponent(pathname + req.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/((?!_next|favicon.ico|icon.svg|.*\\.(?:svg|png|ico|txt)$).*)"],
};
