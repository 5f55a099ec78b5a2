import "server-only";
import { createHmac } from "node:crypto";
import { cookies } from "next/headers";
import { safeEqual } from "@/lib/crypto/secrets";
import { env } from "@/lib/core/env";
import { now } from "@/lib/core/clock";

// "Connect GitHub" on the account page: the signed-in user asks to link a
// provider. The intent is a short-lived signed cookie naming that user; the
// sign-in callback links only when it is valid and the same user is still
// signed in, so a sign-in that merely happens in a signed-in browser links nothing.
const COOKIE = "trigdash-link-intent";
const TTL_MS = 10 * 60 * 1000;

const sign = (value: string) =>
  createHmac("sha256", env().AUTH_SECRET).update(`link-intent:${value}`).digest("base64url");

export async function setLinkIntent(userId: string, provider: string) {
  const value = `${userId}.${provider}.${now().getTime() + TTL_MS}`;
  (await cookies()).set(COOKIE, `${value}.${sign(value)}`, {
    httpOnly: true,
    sameSite: "lax",
    secure: env().APP_URL?.startsWith("https:") ?? false,
    path: "/",
    maxAge: TTL_MS / 1000,
  });
}

/** The user connecting `provider` right now, or null; the intent is used up either way. */
export async function takeLinkIntent(
  session: { user?: { id?: string } } | null,
  provider: string,
): Promise<string | null> {
  const jar = await cookies();
  const raw = jar.get(COOKIE)?.value;
  if (raw) jar.delete(COOKIE);
  const userId = session?.user?.id;
  if (!raw || !userId) return null;
  const [id, forProvider, expires, signature] = raw.split(".");
  const value = `${id}.${forProvider}.${expires}`;
  if (!signature || !safeEqual(sign(value), signature)) return null;
  if (id !== userId || forProvider !== provider || Number(expires) < now().getTime()) return null;
  return userId;
}
