// One way for time, three cases:
// - a rule that depends on time (session windows, schedules, secret grace periods, signature
//   freshness, re-authentication) asks `now()` here, which tests can move without sleeping
//   (the offset changes only through the test hooks, TEST_HOOKS=1);
// - a rule the database decides (leases, expiries, retention, `updated_at`) uses the database's
//   now() in SQL, so servers whose clocks disagree still agree;
// - measuring how long something took (timeouts, durations, caches, rate limiters) uses
//   Date.now() or performance.now(): elapsed time, not a date.
const g = globalThis as unknown as { __clockOffsetMs?: number };

export const now = () => new Date(Date.now() + (g.__clockOffsetMs ?? 0));

export function setClockOffset(ms: number) {
  g.__clockOffsetMs = ms;
}

export const clockOffset = () => g.__clockOffsetMs ?? 0;
