import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : v === "true" || v === "1"));

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
      .optional(),
  ),
  DATA_DIR: z.string().default(".data"),
  APP_SECRET: optionalString.pipe(
    z.string().min(32, "must be at least 32 characters (try: openssl rand -hex 32)").optional(),
  ),
  APP_URL: optionalString.pipe(
    z.url("must be an absolute URL like https://triggers.example.com").optional(),
  ),
  ALLOW_SIGNUP: bool(true),
  SECRET_ROTATION_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(24 * 60 * 60 * 1000),
  MAX_TRIGGERS_PER_OWNER: z.coerce.number().int().min(1).default(100_000),
  RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(100),
  INNGEST_EVENT_KEY: optionalString,
  INNGEST_SIGNING_KEY: optionalString,
  INNGEST_DEV: optionalString,
  INNGEST_BASE_URL: optionalString,
  INLINE_RUNNER: bool(true),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString,
  ANTHROPIC_API_KEY: optionalString,
  ABILITY_HTTP_ALLOW_HOSTS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  TEST_HOOKS: bool(false),
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  AUTH_OIDC_ISSUER: optionalString,
  AUTH_OIDC_ID: optionalString,
  AUTH_OIDC_SECRET: optionalString,
});

export type Env = z.infer<typeof schema> & { APP_SECRET: string; dataDir: string };

const globalForEnv = globalThis as unknown as { __appEnv?: Env };

function loadDevSecret(dataDir: string): string {
  const file = path.join(dataDir, "app-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  console.log(
    `[config] APP_SECRET is not set: generated one for development and kept it in ${file}. ` +
      "Set APP_SECRET in production (openssl rand -hex 32).",
  );
  return secret;
}

/** Parses the environment once per process; a bad value fails with a sentence saying how to fix it. */
export function env(): Env {
  if (globalForEnv.__appEnv) return globalForEnv.__appEnv;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration (see .env.example):\n${lines.join("\n")}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  let secret = parsed.data.APP_SECRET;
  if (!secret) {
    if (process.env.NEXT_PHASE === "phase-production-build") {
      // `next build` evaluates modules but serves nothing: a throwaway key, nothing written.
      secret = randomBytes(32).toString("hex");
    } else if (parsed.data.NODE_ENV === "production") {
      throw new Error(
        "Invalid configuration: APP_SECRET is required in production. Generate one with `openssl rand -hex 32` and set it in the environment.",
      );
    } else {
      secret = loadDevSecret(dataDir);
    }
  }
  globalForEnv.__appEnv = { ...parsed.data, APP_SECRET: secret, dataDir };
  return globalForEnv.__appEnv;
}

/** Inngest carries the jobs when any of its variables is set; otherwise the inline runner does. */
export function usesInngest(): boolean {
  const e = env();
  return Boolean(e.INNGEST_EVENT_KEY || e.INNGEST_DEV || e.INNGEST_BASE_URL);
}
