import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiTokens } from "@/db/schema";
import { notFound } from "@/lib/api/errors";
import { newId } from "@/lib/ids";

export const TOKEN_PREFIX = "tdk_";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const publicToken = (t: typeof apiTokens.$inferSelect) => ({
  id: t.id,
  name: t.name,
  lastFour: t.lastFour,
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  createdAt: t.createdAt.toISOString(),
});

/** The token itself is returned once, here; only its SHA-256 is stored. */
export async function createToken({ ownerId, name }: { ownerId: string; name: string }) {
  const db = await getDb();
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const id = newId("token");
  await db
    .insert(apiTokens)
    .values({ id, ownerId, name, tokenHash: hashToken(token), lastFour: token.slice(-4) });
  return { id, token };
}

export async function listTokens({ ownerId }: { ownerId: string }) {
  const db = await getDb();
  const rows = await db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.ownerId, ownerId))
    .orderBy(desc(apiTokens.id))
    .limit(500);
  return { items: rows.map(publicToken) };
}

export async function deleteToken({ id, ownerId }: { id: string; ownerId: string }) {
  const db = await getDb();
  const [row] = await db
    .delete(apiTokens)
    .where(and(eq(apiTokens.id, id), eq(apiTokens.ownerId, ownerId)))
    .returning({ id: apiTokens.id });
  if (!row) throw notFound("Token");
  return { id: row.id };
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** Owner id for a presented token, or null. `lastUsedAt` is written at most once a minute. */
export async function resolveToken(token: string): Promise<string | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const db = await getDb();
  const [row] = await db
    .select({ id: apiTokens.id, ownerId: apiTokens.ownerId, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, hashToken(token)));
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.id));
  }
  return row.ownerId;
}
