import "server-only";
import pino, { type Logger } from "pino";

const g = globalThis as unknown as { __triggerLog?: Logger };

/**
 * The server's structured log: one JSON line per record on stdout (LOG_LEVEL,
 * default info); readable lines in development when pino-pretty is there.
 * Records carry ids (trigger, event, conversation, owner), never a payload,
 * a secret or a token: callers pass ids and messages, and the redaction below
 * is the second line of defence for fields that should never appear.
 */
function create(): Logger {
  const options: pino.LoggerOptions = {
    level: process.env.LOG_LEVEL || "info",
    base: { service: "trigger-dashboard" },
    redact: {
      paths: [
        "secret",
        "token",
        "password",
        "authorization",
        "payload",
        "headers",
        "*.secret",
        "*.token",
        "*.password",
        "*.authorization",
        "*.payload",
        "*.headers",
      ],
      censor: "[redacted]",
    },
  };
  if (process.env.NODE_ENV !== "production" && process.env.LOG_FORMAT !== "json") {
    try {
      // a devDependency: absent in a production install, where JSON lines are what a collector wants
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pretty = require("pino-pretty") as (o: object) => NodeJS.WritableStream;
      return pino(options, pretty({ colorize: true, translateTime: "HH:MM:ss.l" }));
    } catch {
      // fall through to JSON
    }
  }
  return pino(options);
}

export const log = (): Logger => (g.__triggerLog ??= create());

/**
 * An error as a log field: its name, database code and message, cut before the
 * bound parameters drizzle appends to a failed query's message (they are
 * payloads and secrets) and at 300 characters.
 */
export function errorField(error: unknown) {
  if (!(error instanceof Error)) return { message: "a non-Error value was thrown" };
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown })?.code;
  return {
    name: error.name,
    ...(typeof code === "string" && { code }),
    message: error.message.split(/\nparams:/)[0].slice(0, 300),
  };
}
