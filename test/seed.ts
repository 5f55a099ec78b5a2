import { getDb } from "@/db/client";
import { abilities, bots, skillsets, triggerEvents, triggers } from "@/db/schema";
import { createUser } from "@/lib/auth/users";
import { newId } from "@/lib/core/ids";

/**
 * A new user owning a bot and a trigger, inserted directly (no HTTP): the
 * starting point of the lib-level tests. The secret is a placeholder.
 */
export async function seedTrigger(
  model = "echo",
  extra: Partial<typeof triggers.$inferInsert> = {},
  bot: Partial<typeof bots.$inferInsert> = {},
): Promise<{ id: string; ownerId: string; botId: string }> {
  const db = await getDb();
  const { id: ownerId } = await createUser({
    email: `seed-${newId("user")}@example.test`,
    password: "a-good-passphrase",
  });
  const botId = newId("bot");
  await db.insert(bots).values({ id: botId, ownerId, name: "bot", model, ...bot });
  const id = newId("trigger");
  await db
    .insert(triggers)
    .values({ id, ownerId, botId, name: "t", secretEnc: "unused", ...extra });
  return { id, ownerId, botId };
}

/** A skillset with one http_request ability, for a bot of `ownerId`. */
export async function seedSkillset(
  ownerId: string,
  ability: { name: string; config: Record<string, unknown> },
) {
  const db = await getDb();
  const skillsetId = newId("skillset");
  await db.insert(skillsets).values({ id: skillsetId, ownerId, name: "s" });
  await db.insert(abilities).values({
    id: newId("ability"),
    ownerId,
    skillsetId,
    name: ability.name,
    kind: "http_request",
    config: ability.config,
  });
  return skillsetId;
}

/** A queued event on the trigger, inserted directly. */
export async function seedEvent(
  trigger: { id: string; ownerId: string },
  extra: Partial<typeof triggerEvents.$inferInsert> = {},
) {
  const db = await getDb();
  const id = newId("event");
  await db.insert(triggerEvents).values({
    id,
    ownerId: trigger.ownerId,
    triggerId: trigger.id,
    kind: "event",
    status: "queued",
    payload: { text: "hi" },
    ...extra,
  });
  return id;
}
