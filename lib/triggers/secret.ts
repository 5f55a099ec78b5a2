import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { getTriggerOrThrow } from "@/db/owned";
import { triggers } from "@/db/schema";
import { now } from "@/lib/core/clock";
import { env } from "@/lib/core/env";
import { encryptSecret, generateTriggerSecret } from "@/lib/crypto/secrets";
import { forgetTrigger } from "@/lib/events/trigger-cache";

type Owner = { ownerId: string };

/**
 * A new secret now; the previous one keeps working for the grace period, or
 * stops at once with `revokePrevious`. One statement moves current to previous,
 * so of two rotations at the same moment each caller's secret did work: the
 * later one keeps the earlier one as its previous secret.
 */
export async function rotateTriggerSecret({
  ownerId,
  id,
  revokePrevious = false,
}: Owner & { id: string; revokePrevious?: boolean }) {
  const db = await getDb();
  await getTriggerOrThrow({ ownerId, id });
  const secret = generateTriggerSecret();
  await db
    .update(triggers)
    .set({
      secretEnc: encryptSecret(secret),
      previousSecretEnc: revokePrevious ? null : sql`${triggers.secretEnc}`,
      previousSecretExpiresAt: revokePrevious
        ? null
        : new Date(now().getTime() + env().SECRET_ROTATION_GRACE_MS),
    })
    .where(and(eq(triggers.id, id), eq(triggers.ownerId, ownerId)));
  forgetTrigger(id);
  return { id, secret };
}

/** Ends the previous secret's grace period now (after a leak, say); the current secret stays. */
export async function revokePreviousSecret({ ownerId, id }: Owner & { id: string }) {
  const db = await getDb();
  await getTriggerOrThrow({ ownerId, id });
  await db
    .update(triggers)
    .set({ previousSecretEnc: null, previousSecretExpiresAt: null })
    .where(and(eq(triggers.id, id), eq(triggers.ownerId, ownerId)));
  forgetTrigger(id);
  return { id };
}
