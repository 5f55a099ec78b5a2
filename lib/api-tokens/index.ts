import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, getTableColumns, gt, isNull, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiTokens } from "@/db/schema";
import { notFound } from "@/lib/core/errors";
import { newId } from "@/lib/core/ids";

export const TOKEN_PREFIX = "tdk_";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const DAY_MS = 24 * 60 * 60 * 1000;

const publicToken = (t: typeof apiTokens.$inferSelect & { expired: boolean }) => ({
  id: t.id,
  name: t.name,
  lastFour: t.lastFour,
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  expiresAt: t.expiresAt?.toISOString() ?? null,
  /** Past its expiry on the database's clock (as resolveToken decides): kept in the list so its owner sees why. */
  expired: t.expired,
  createdAt: t.createdAt.toISOString(),
});

export type TokenItem = ReturnType<typeof publicToken>;

/** The token itself is returned once, here; only its SHA-256 is stored. */
export async function createToken({
  ownerId,
  name,
  expiresInDays,
}: {
  ownerId: string;
  name: string;
  expiresInDays?: number | null;
}) {
  const db = await getDb();
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const id = newId("token");
  const [row] = await db
    .insert(apiTokens)
    .values({
      id,
      ownerId,
      name,
      tokenHash: hashToken(token),
      lastFour: token.slice(-4),
      expiresAt: expiresInDays
        ? sql`now() + ${expiresInDays * DAY_MS} * interval '1 millisecond'`
        : null,
    })
    .returning({ expiresAt: apiTokens.expiresAt });
  return { id, token, expiresAt: row.expiresAt?.toISOString() ?? null };
}

export async function listTokens({ ownerId }: { ownerId: string }) {
  const db = await getDb();
  const rows = await db
    .select({
      ...getTableColumns(apiTokens),
      expired: sql<boolean>`coalesce(${apiTokens.expiresAt} <= now(), false)`,
    })
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

/** Revokes every token of the owner ("sign out everywhere", a new password); how many went. */
export async function revokeAllTokens(ownerId: string): Promise<number> {
  const db = await getDb();
  const rows = await db
    .delete(apiTokens)
    .where(eq(apiTokens.ownerId, ownerId))
    .returning({ id: apiTokens.id });
  return rows.length;
}

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Owner id for a presented token that exists and has not expired, or null.
 * `lastUsedAt` is written at most once a minute.
 */
export async function resolveToken(token: string): Promise<string | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const db = await getDb();
  const [row] = await db
    .select({ id: apiTokens.id, ownerId: apiTokens.ownerId, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.tokenHash, hashToken(token)),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)),
      ),
    );
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(eq(apiTokens.id, row.id));
  }
  return row.ownerId;
}
