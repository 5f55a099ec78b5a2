import { getDb } from "@/db/client";
import { bots, triggers } from "@/db/schema";
import { createUser } from "@/lib/auth/users";
import { newId } from "@/lib/ids";

/**
 * A new user owning a bot and a trigger, inserted directly (no HTTP): the
 * starting point of the lib-level tests. The secret is a placeholder.
 */
export async function seedTrigger(
  model = "echo",
  extra: Partial<typeof triggers.$inferInsert> = {},
): Promise<{ id: string; ownerId: string; botId: string }> {
  const db = await getDb();
  const { id: ownerId } = await createUser({
    email: `seed-${newId("user")}@example.test`,
    password: "a-good-passphrase",
  });
  const botId = newId("bot");
  await db.insert(bots).values({ id: botId, ownerId, name: "bot", model });
  const id = newId("trigger");
  await db
    .insert(triggers)
    .values({ id, ownerId, botId, name: "t", secretEnc: "unused", ...extra });
  return { id, ownerId, botId };
}
