import { describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/users";
import { getDb } from "@/db/client";
import { apiTokens } from "@/db/schema";
import { eq, sql } from "drizzle-orm";
import { endAllSessions } from "@/lib/auth/users";
import { createToken, deleteToken, listTokens, resolveToken } from "@/lib/api-tokens";

describe("API tokens", () => {
  it("stores only a hash, resolves the owner, and stops resolving once revoked", async () => {
    const user = await createUser({
      email: `t-${Date.now()}@example.test`,
      password: "a-good-passphrase",
    });
    const { id, token } = await createToken({ ownerId: user.id, name: "ci" });
    const db = await getDb();
    const rows = await db.select().from(apiTokens);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await resolveToken(token)).toBe(user.id);
    expect(await resolveToken(token + "x")).toBeNull();
    expect((await listTokens({ ownerId: user.id })).items.map((t) => t.id)).toEqual([id]);
    await deleteToken({ id, ownerId: user.id });
    expect(await resolveToken(token)).toBeNull();
  });

  it("another owner cannot revoke a token: 404", async () => {
    const a = await createUser({
      email: `a-${Date.now()}@example.test`,
      password: "a-good-passphrase",
    });
    const b = await createUser({
      email: `b-${Date.now()}@example.test`,
      password: "a-good-passphrase",
    });
    const { id } = await createToken({ ownerId: a.id, name: "x" });
    await expect(deleteToken({ id, ownerId: b.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("an expired token no longer resolves and is listed as expired", async () => {
    const user = await createUser({ email: `e-${Date.now()}@example.test` });
    const { id, token, expiresAt } = await createToken({
      ownerId: user.id,
      name: "short",
      expiresInDays: 1,
    });
    expect(Date.parse(expiresAt!) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    expect(await resolveToken(token)).toBe(user.id);
    const db = await getDb();
    await db
      .update(apiTokens)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(apiTokens.id, id));
    expect(await resolveToken(token)).toBeNull();
    expect((await listTokens({ ownerId: user.id })).items[0]).toMatchObject({ id, expired: true });
  });

  it("signing out everywhere revokes the tokens too, unless the user keeps them", async () => {
    const user = await createUser({ email: `s-${Date.now()}@example.test` });
    const { token } = await createToken({ ownerId: user.id, name: "kept" });
    await endAllSessions(user.id, { revokeTokens: false });
    expect(await resolveToken(token)).toBe(user.id);
    await endAllSessions(user.id);
    expect(await resolveToken(token)).toBeNull();
    expect((await listTokens({ ownerId: user.id })).items).toEqual([]);
  });
});
