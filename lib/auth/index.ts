import "server-only";
import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { createHash } from "node:crypto";
import { z } from "zod";
import { env } from "@/lib/env";
import { authenticateUser, findOrCreateOAuthUser } from "./users";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null };
  }
}

const credentialsSchema = z.object({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(256),
});

function providers(): NextAuthConfig["providers"] {
  const e = env();
  const list: NextAuthConfig["providers"] = [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const user = await authenticateUser(parsed.data.email, parsed.data.password);
        return user ? { id: user.id, email: user.email, name: user.name } : null;
      },
    }),
  ];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) {
    list.push(GitHub({ clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET }));
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

/** Names of the OAuth providers switched on by the environment, for the sign-in page. */
export function oauthProviders(): { id: string; name: string }[] {
  const e = env();
  const out: { id: string; name: string }[] = [];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) out.push({ id: "github", name: "GitHub" });
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID && e.AUTH_OIDC_SECRET)
    out.push({ id: "oidc", name: "Single sign-on" });
  return out;
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  // Auth.js gets its own key, derived from APP_SECRET, so one secret configures the app.
  secret: createHash("sha256").update(`auth:${env().APP_SECRET}`).digest("hex"),
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/signin" },
  // A wrong password is an expected outcome, not a server error worth a stack trace.
  logger: {
    error(error) {
      if (error.name !== "CredentialsSignin") console.error("[auth]", error);
    },
  },
  providers: providers(),
  callbacks: {
    async jwt({ token, user, account }) {
      if (user && account && account.provider !== "credentials") {
        if (!user.email) throw new Error("The identity provider did not return an email address");
        const row = await findOrCreateOAuthUser(user.email, user.name);
        token.uid = row.id;
      } else if (user?.id) {
        token.uid = user.id;
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      return session;
    },
  },
}));
