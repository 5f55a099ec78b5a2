import { createCipheriv, hkdfSync, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { triggers } from "@/db/schema";
import { toApiError } from "@/lib/core/errors";
import { createUser } from "@/lib/auth/users";
import { createBot } from "@/lib/bots/service";
import { createAbility, createSkillset } from "@/lib/skillsets/service";
import { runtimeConfig } from "@/lib/abilities/credentials";
import { abilities } from "@/db/schema";
import { createTrigger, fetchTrigger } from "@/lib/triggers/service";
import { setEnv } from "@/test/env";
import { rotateStoredSecrets } from "@/db/rotate-secrets";
import { decryptSecret } from "./secrets";

const OLD = "old-key-old-key-old-key-old-key-0123456789";
const NEW = "new-key-new-key-new-key-new-key-0123456789";
const original = process.env.APP_SECRET;
afterAll(() => setEnv({ APP_SECRET: original, APP_SECRET_PREVIOUS: undefined }));

/** What the first release wrote: v1.<iv>.<tag>.<data>, no key id. */
function legacyEncrypt(secret: string, plain: string) {
  const key = Buffer.from(hkdfSync("sha256", secret, "trigger-secrets", "aes-256-gcm", 32));
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return ["v1", iv, c.getAuthTag(), data]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

describe("key ring", () => {
  it("APP_SECRET_PREVIOUS keeps old secrets readable; secrets:rotate moves them to the new key; then the old key can go", async () => {
    setEnv({ APP_SECRET: OLD, APP_SECRET_PREVIOUS: undefined });
    const db = await getDb();
    const user = await createUser({
      email: `ring-${Date.now()}@example.test`,
      password: "a-good-passphrase",
    });
    const { id: botId } = await createBot({
      ownerId: user.id,
      input: { name: "b", model: "echo" },
    });
    const trigger = await createTrigger({
      ownerId: user.id,
      input: { botId, authenticate: true },
      baseUrl: "http://x",
    });
    const { id: skillsetId } = await createSkillset({ ownerId: user.id, input: { name: "s" } });
    const { id: abilityId } = await createAbility({
      ownerId: user.id,
      skillsetId,
      input: {
        name: "hook",
        kind: "webhook",
        config: { url: "https://example.com/h", secret: "whsec-abc", timeoutMs: 1000 },
      },
    });
    // a trigger written by the first release, before key ids
    await db
      .update(triggers)
      .set({ previousSecretEnc: legacyEncrypt(OLD, "legacy-secret") })
      .where(eq(triggers.id, trigger.id));

    // the operator rotates: new APP_SECRET, the old one kept as previous
    setEnv({ APP_SECRET: NEW, APP_SECRET_PREVIOUS: OLD });
    expect(
      (await fetchTrigger({ ownerId: user.id, id: trigger.id, baseUrl: "http://x" })).secret,
    ).toBe(trigger.secret);
    const [row] = await db.select().from(abilities).where(eq(abilities.id, abilityId));
    expect(runtimeConfig(row)).toMatchObject({ secret: "whsec-abc" });

    // without the old key nothing can be read, and the error says what to set
    setEnv({ APP_SECRET: NEW, APP_SECRET_PREVIOUS: undefined });
    const error = await fetchTrigger({
      ownerId: user.id,
      id: trigger.id,
      baseUrl: "http://x",
    }).catch((e) => e);
    const api = toApiError(error);
    expect(api.status).toBe(500);
    expect(api.code).toBe("SERVER_MISCONFIGURED");
    expect(api.message).toContain("APP_SECRET_PREVIOUS");

    setEnv({ APP_SECRET: NEW, APP_SECRET_PREVIOUS: OLD });
    const counts = await rotateStoredSecrets(db);
    expect(counts["triggers.secret_enc"]).toBeGreaterThanOrEqual(1);
    expect(counts["triggers.previous_secret_enc"]).toBeGreaterThanOrEqual(1);
    expect(counts["abilities.secrets_enc"]).toBeGreaterThanOrEqual(1);
    expect(Object.values(await rotateStoredSecrets(db)).every((n) => n === 0)).toBe(true);

    // the old key can go now
    setEnv({ APP_SECRET: NEW, APP_SECRET_PREVIOUS: undefined });
    expect(
      (await fetchTrigger({ ownerId: user.id, id: trigger.id, baseUrl: "http://x" })).secret,
    ).toBe(trigger.secret);
    const [t] = await db.select().from(triggers).where(eq(triggers.id, trigger.id));
    expect(decryptSecret(t.previousSecretEnc!)).toBe("legacy-secret");
    const [a] = await db.select().from(abilities).where(eq(abilities.id, abilityId));
    expect(runtimeConfig(a)).toMatchObject({ secret: "whsec-abc" });
  });
});
