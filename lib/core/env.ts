import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : v === "true" || v === "1"));

const optionalBool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v === "true" || v === "1"));

const list = z
  .string()
  .default("")
  .transform((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined));

const DEFAULT_DATA_DIR = ".data";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
      .optional(),
  ),
  /** At start-up: how long a server waits for a PostgreSQL that does not answer yet; 0 stops at once. */
  DATABASE_WAIT_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  APP_SECRET: optionalString.pipe(
    z.string().min(32, "must be at least 32 characters (try: openssl rand -hex 32)").optional(),
  ),
  /** Older APP_SECRET values, comma-separated: they still decrypt, never encrypt. */
  APP_SECRET_PREVIOUS: list,
  /** Signs session cookies; unset: derived from APP_SECRET. Changing it ends every session. */
  AUTH_SECRET: optionalString.pipe(
    z.string().min(32, "must be at least 32 characters (try: openssl rand -hex 32)").optional(),
  ),
  APP_URL: optionalString.pipe(
    z.url("must be an absolute URL like https://triggers.example.com").optional(),
  ),
  /** Unset: open in development, closed in production (the first account can always sign up). */
  ALLOW_SIGNUP: optionalBool,
  /** How many reverse proxies in front of the server append to X-Forwarded-For (0: none, use the socket). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  AUTH_SIGNUPS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(30),
  AUTH_FAILURES_PER_EMAIL_PER_HOUR: z.coerce.number().int().min(1).default(10),
  AUTH_FAILURES_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(100),
  SECRET_ROTATION_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(24 * 60 * 60 * 1000),
  MAX_TRIGGERS_PER_OWNER: z.coerce.number().int().min(1).default(100_000),
  RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(100),
  /** The most a trigger may set as its own rate limit. */
  MAX_RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).default(1000),
  MAX_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(10_000),
  INNGEST_EVENT_KEY: optionalString,
  INNGEST_SIGNING_KEY: optionalString,
  // "0"/"false" is Inngest's own "cloud mode", not dev mode
  INNGEST_DEV: optionalString.transform((v) => (v === "0" || v === "false" ? undefined : v)),
  INNGEST_BASE_URL: optionalString,
  INLINE_RUNNER: bool(true),
  /** Events the inline runner works on at once (runs wait on models and abilities, not the CPU). */
  RUNNER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** The most runs one owner holds while others have work; unset: half of RUNNER_CONCURRENCY. */
  RUNNER_MAX_PER_OWNER: z.coerce.number().int().min(1).max(64).optional(),
  /** Inngest mode: runs of one owner at once, across every server. */
  INNGEST_MAX_PER_OWNER: z.coerce.number().int().min(1).max(1000).default(10),
  /** How long a claim on an event lasts unless renewed (a crashed server's events are taken over after it). */
  EVENT_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** Bearer token for GET /api/metrics (Prometheus); unset: metrics are off (404). */
  METRICS_TOKEN: z
    .string()
    .min(16, "must be at least 16 characters (openssl rand -hex 16)")
    .optional(),
  /** pino level: fatal, error, warn, info (default), debug, trace, silent. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** On SIGTERM/SIGINT: how long running events may finish before they are handed back. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  /** Finished events older than this are deleted (conversations stay); 0 keeps them. */
  EVENT_RETENTION_DAYS: z.coerce.number().min(0).default(30),
  /** Conversations without activity for this long are deleted with their messages; unset keeps them. */
  CONVERSATION_RETENTION_DAYS: z.coerce.number().min(0).optional(),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString,
  ANTHROPIC_API_KEY: optionalString,
  /** The models bots may use (comma-separated, e.g. openai/gpt-4o-mini); unset: a built-in list per configured provider. */
  MODELS_ALLOWED: list,
  ABILITY_HTTP_ALLOW_HOSTS: list.transform((hosts) => hosts.map((h) => h.toLowerCase())),
  /** Where replies to Slack go (chat.postMessage); a local stand-in in tests. */
  SLACK_API_URL: z.string().url().default("https://slack.com/api"),
  /** Where replies to GitHub go (issue comments); GitHub Enterprise: https://HOST/api/v3. */
  GITHUB_API_URL: z.string().url().default("https://api.github.com"),
  TEST_HOOKS: bool(false),
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  AUTH_OIDC_ISSUER: optionalString,
  AUTH_OIDC_ID: optionalString,
  AUTH_OIDC_SECRET: optionalString,
});

export type Env = Omit<z.infer<typeof schema>, "ALLOW_SIGNUP"> & {
  APP_SECRET: string;
  AUTH_SECRET: string;
  ALLOW_SIGNUP: boolean;
  dataDir: string;
};

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

/** DATA_DIR as an absolute path, for the command-line tools that need nothing else. */
export function configuredDataDir() {
  return path.resolve(process.env.DATA_DIR || DEFAULT_DATA_DIR);
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
  const production = parsed.data.NODE_ENV === "production";
  refuseUnsafeProduction(parsed.data, production);
  globalForEnv.__appEnv = {
    ...parsed.data,
    APP_SECRET: secret,
    AUTH_SECRET:
      parsed.data.AUTH_SECRET ?? createHash("sha256").update(`auth:${secret}`).digest("hex"),
    ALLOW_SIGNUP: parsed.data.ALLOW_SIGNUP ?? !production,
    dataDir,
  };
  return globalForEnv.__appEnv;
}

/** Settings that are fine on a laptop and dangerous on the internet stop a production server. */
function refuseUnsafeProduction(e: z.infer<typeof schema>, production: boolean) {
  if (!production || process.env.NEXT_PHASE === "phase-production-build") return;
  if (e.TEST_HOOKS) {
    throw new Error(
      "Invalid configuration: TEST_HOOKS is set while NODE_ENV=production. The test routes " +
        "(clock, seeding) must never be reachable in production: unset TEST_HOOKS.",
    );
  }
  if (e.INNGEST_DEV) {
    throw new Error(
      "Invalid configuration: INNGEST_DEV is set while NODE_ENV=production; Inngest's dev mode " +
        "accepts unsigned calls at /api/inngest. Unset INNGEST_DEV and set INNGEST_SIGNING_KEY " +
        "(with INNGEST_EVENT_KEY for Inngest Cloud, or INNGEST_BASE_URL for a self-hosted Inngest).",
    );
  }
  const inngest = Boolean(e.INNGEST_EVENT_KEY || e.INNGEST_BASE_URL);
  if (inngest && !e.INNGEST_SIGNING_KEY) {
    throw new Error(
      "Invalid configuration: Inngest mode in production needs INNGEST_SIGNING_KEY, otherwise " +
        "/api/inngest would accept unsigned calls. Set INNGEST_SIGNING_KEY (and unset INNGEST_DEV).",
    );
  }
}

/** Inngest carries the jobs when any of its variables is set; otherwise the inline runner does. */
export function usesInngest(): boolean {
  const e = env();
  return Boolean(e.INNGEST_EVENT_KEY || e.INNGEST_DEV || e.INNGEST_BASE_URL);
}
