// The one source of "now" for rules that depend on time (session windows,
// schedules, secret grace periods), so tests can move it without sleeping.
// The offset can only be changed through the test hooks (TEST_HOOKS=1).
const g = globalThis as unknown as { __clockOffsetMs?: number };

export const now = () => new Date(Date.now() + (g.__clockOffsetMs ?? 0));

export function setClockOffset(ms: number) {
  g.__clockOffsetMs = ms;
}

export const clockOffset = () => g.__clockOffsetMs ?? 0;
