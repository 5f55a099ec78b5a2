import "server-only";
import { errorField, log } from "@/lib/observability/log";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { headers } from "next/headers";
import GitHub from "next-auth/providers/github";
import { z } from "zod";
import type { User } from "@/db/schema";
import { clientAddress } from "@/lib/core/client-address";
import { env } from "@/lib/core/env";
import { takeLinkIntent } from "./link-intent";
import { checkPasswordThrottled } from "./throttle";
import {
  authenticateUser,
  currentSessionVersion,
  OAuthRefusedError,
  resolveOAuthUser,
  userForAccount,
} from "./users";
import { now } from "@/lib/core/clock";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null };
    /** When this session signed in (ms since the epoch): recent enough, and it may mint tokens. */
    signedInAt?: number;
  }
}

const credentialsSchema = z.object({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(256),
});

/** Too many failed sign-ins for this email or address: the sign-in form says so, the route answers 429. */
export class SignInThrottled extends CredentialsSignin {
  code = "rate_limited";
}

type GitHubEmail = { email: string; primary: boolean; verified: boolean };

/**
 * GitHub's profile says nothing about whether its email is verified; ask
 * /user/emails and keep only a verified address (the primary one first).
 */
async function githubUserinfo({ tokens }: { tokens: { access_token?: string } }) {
  const headers = {
    Authorization: `Bearer ${tokens.access_token}`,
    "User-Agent": "trigger-dashboard",
  };
  const profile = await (await fetch("https://api.github.com/user", { headers })).json();
  const res = await fetch("https://api.github.com/user/emails", { headers });
  const emails: GitHubEmail[] = res.ok ? await res.json() : [];
  const verified = emails.find((e) => e.primary && e.verified) ?? emails.find((e) => e.verified);
  return { ...profile, email: verified?.email ?? null, email_verified: Boolean(verified) };
}

function providers(): NextAuthConfig["providers"] {
  const e = env();
  const list: NextAuthConfig["providers"] = [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const found: { user?: User | null } = {};
        const result = await checkPasswordThrottled(
          clientAddress(request.headers),
          parsed.data.email,
          async () =>
            Boolean((found.user = await authenticateUser(parsed.data.email, parsed.data.password))),
        );
        if (typeof result === "object") throw new SignInThrottled();
        const user = found.user;
        if (result !== "ok" || !user) return null;
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) {
    list.push(
      GitHub({
        clientId: e.AUTH_GITHUB_ID,
        clientSecret: e.AUTH_GITHUB_SECRET,
        userinfo: { url: "https://api.github.com/user", request: githubUserinfo },
      }),
    );
  }
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID && e.AUTH_OIDC_SECRET) {
    list.push({
      id: "oidc",
      name: "Single sign-on",
      type: "oidc",
      issuer: e.AUTH_OIDC_ISSUER,
      clientId: e.AUTH_OIDC_ID,
      clientSecret: e.AUTH_OIDC_SECRET,
    });
  }
  return list;
}

/** Names of the OAuth providers switched on by the environment, for the sign-in and account pages. */
export function oauthProviders(): { id: string; name: string }[] {
  const e = env();
  const out: { id: string; name: string }[] = [];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) out.push({ id: "github", name: "GitHub" });
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID && e.AUTH_OIDC_SECRET)
    out.push({ id: "oidc", name: "Single sign-on" });
  return out;
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  // AUTH_SECRET, or a key derived from APP_SECRET: changing it ends every session, nothing else.
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/signin", error: "/signin" },
  // A wrong password is an expected outcome, not a server error worth a stack trace.
  logger: {
    error(error) {
      if (error.name !== "CredentialsSignin")
        log().error({ error: errorField(error) }, "auth error");
    },
  },
  providers: providers(),
  callbacks: {
    /** External sign-ins are decided here (a refusal redirects with a reason code, never a session). */
    async signIn({ account, profile, user }) {
      if (!account || account.provider === "credentials") return true;
      const connecting = await takeLinkIntent(await auth(), account.provider);
      try {
        await resolveOAuthUser(
          {
            provider: account.provider,
            subject: account.providerAccountId,
            email: (profile?.email as string | undefined) ?? user.email ?? null,
            emailVerified: profile?.email_verified === true,
            name: (profile?.name as string | undefined) ?? user.name,
          },
          connecting,
          clientAddress(await headers()),
        );
      } catch (error) {
        if (!(error instanceof OAuthRefusedError)) throw error;
        const page = connecting ? "/account" : "/signin";
        return `${page}?error=${error.code}`;
      }
      // Connecting from settings keeps the session the user already has.
      return connecting ? `/account?connected=${account.provider}` : true;
    },
    async jwt({ token, user, account }) {
      if (user && account) {
        const userId =
          account.provider === "credentials"
            ? user.id
            : (await userForAccount(account.provider, account.providerAccountId))?.id;
        if (!userId) return null;
        token.uid = userId;
        token.sv = await currentSessionVersion(userId);
        token.sat = now().getTime();
        return token;
      }
      // Every use of a session checks it against the account: a password change or
      // "sign out everywhere" bumps the version, and older sessions end here.
      if (typeof token.uid !== "string") return null;
      const version = await currentSessionVersion(token.uid);
      if (version === null || (token.sv ?? 0) !== version) return null;
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      if (typeof token.sat === "number") session.signedInAt = token.sat;
      return session;
    },
  },
}));
