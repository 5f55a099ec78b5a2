import "server-only";
import { getDb } from "@/db/client";
import { bots, triggers } from "@/db/schema";
import { getOwnedOrThrow } from "@/db/owned";
import { encryptSecret, generateTriggerSecret } from "@/lib/crypto/secrets";
import { newId } from "@/lib/core/ids";

/** Bulk insert for benchmarks (reached only through the TEST_HOOKS route). */
export async function seedTriggers({
  ownerId,
  botId,
  count,
}: {
  ownerId: string;
  botId: string;
  count: number;
}) {
  const db = await getDb();
  await getOwnedOrThrow(db, bots, botId, ownerId, "Bot");
  const secretEnc = encryptSecret(generateTriggerSecret()); // one shared secret: this is bulk test data
  for (let done = 0; done < count; done += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - done) }, (_, i) => ({
      id: newId("trigger"),
      ownerId,
      botId,
      name: `seeded ${done + i}`,
      secretEnc,
      authenticate: true,
    }));
    await db.insert(triggers).values(batch);
  }
  return { inserted: count };
}
