/** Sets environment variables and makes the next env() call parse them afresh. */
export function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  (globalThis as { __appEnv?: unknown }).__appEnv = undefined;
}
