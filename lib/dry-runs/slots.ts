import "server-only";
import { ApiError } from "@/lib/core/errors";
import { env } from "@/lib/core/env";

// Dry runs take the same share of a server as an owner's real runs (RUNNER_MAX_PER_OWNER, else
// half the workers): a test suite of fifty cases runs a few at a time and cannot crowd out
// anyone's events. One set of slots per process, whatever the bundle.

/** Dry runs one owner may have waiting for a slot on one server before the next is refused. */
const MAX_WAITING = 100;

type Slots = { active: number; waiting: (() => void)[] };
const g = globalThis as unknown as { __dryRunSlots?: Map<string, Slots> };

function share() {
  const e = env();
  return e.RUNNER_MAX_PER_OWNER ?? Math.max(1, Math.floor(e.RUNNER_CONCURRENCY / 2));
}

/**
 * Runs `fn` once one of the owner's slots is free; a caller that goes away (`signal`) leaves the
 * line instead of taking a slot later.
 */
export async function inOwnersShare<T>(
  ownerId: string,
  signal: AbortSignal | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  const all = (g.__dryRunSlots ??= new Map());
  let slots = all.get(ownerId);
  if (!slots) all.set(ownerId, (slots = { active: 0, waiting: [] }));
  if (slots.active >= share()) {
    if (slots.waiting.length >= MAX_WAITING)
      throw new ApiError(
        "RATE_LIMITED",
        `Too many dry runs waiting for this account (${MAX_WAITING}); try again when some have finished`,
      );
    const line = slots.waiting;
    await new Promise<void>((resolve, reject) => {
      const turn = () => {
        signal?.removeEventListener("abort", leave);
        resolve();
      };
      const leave = () => {
        line.splice(line.indexOf(turn), 1);
        reject(signal!.reason);
      };
      line.push(turn);
      signal?.addEventListener("abort", leave, { once: true });
    });
  } else slots.active++;
  try {
    return await fn();
  } finally {
    const next = slots.waiting.shift();
    // the slot passes straight to the next in line; the last one out frees it
    if (next) next();
    else if (--slots.active === 0) all.delete(ownerId);
  }
}
