import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import { env } from "@/lib/core/env";

// Secrets we must be able to read back (trigger secrets, ability credentials,
// providers' signing secrets) are encrypted at rest with AES-256-GCM under a
// key ring: APP_SECRET encrypts, APP_SECRET_PREVIOUS still decrypts. The
// stored form names its key: v2.<key id>.<iv>.<tag>.<ciphertext> (base64url).
// The first release wrote v1.<iv>.<tag>.<ciphertext>; those are tried with
// every key of the ring.

type Key = { id: string; key: Buffer };
type Ring = { current: Key; previous: Key[] };

/** Raised when no key of the ring opens a stored secret: a configuration problem, said as such. */
export class SecretKeyMissingError extends Error {
  /** How the API answers it (lib/core/errors.ts maps `apiCode`): a configuration problem, 500. */
  readonly apiCode = "SERVER_MISCONFIGURED";
  constructor() {
    super(
      "A stored secret was encrypted with a key this server does not have. Set APP_SECRET_PREVIOUS " +
        "to the APP_SECRET it was written with (comma-separated for several), then run " +
        "`npm run secrets:rotate` to re-encrypt everything under the current APP_SECRET.",
    );
    this.name = "SecretKeyMissingError";
  }
}

function deriveKey(secret: string): Key {
  const key = Buffer.from(hkdfSync("sha256", secret, "trigger-secrets", "aes-256-gcm", 32));
  // A public name for the key: a hash of it, short enough to store with every ciphertext.
  const id = createHash("sha256").update(key).update("key-id").digest("base64url").slice(0, 8);
  return { id, key };
}

// Derived once per configuration (the event endpoint decrypts on every request).
let cached: { config: string; ring: Ring } | undefined;
function ring(): Ring {
  const e = env();
  const config = [e.APP_SECRET, ...e.APP_SECRET_PREVIOUS].join("\n");
  if (cached?.config !== config) {
    cached = {
      config,
      ring: {
        current: deriveKey(e.APP_SECRET),
        previous: e.APP_SECRET_PREVIOUS.filter((s) => s !== e.APP_SECRET).map(deriveKey),
      },
    };
  }
  return cached.ring;
}

export function encryptSecret(plain: string): string {
  const { current } = ring();
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", current.key, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [
    "v2",
    current.id,
    ...[iv, cipher.getAuthTag(), data].map((p) => p.toString("base64url")),
  ].join(".");
}

function open(key: Buffer, iv: string, tag: string, data: string): string {
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(data, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}

export function decryptSecret(stored: string): string {
  const parts = stored.split(".");
  const { current, previous } = ring();
  const keys = [current, ...previous];
  if (parts[0] === "v2" && parts.length === 5) {
    const [, id, iv, tag, data] = parts;
    const key = keys.find((k) => k.id === id);
    if (!key) throw new SecretKeyMissingError();
    return open(key.key, iv, tag, data);
  }
  if (parts[0] === "v1" && parts.length === 4) {
    const [, iv, tag, data] = parts;
    for (const k of keys) {
      try {
        return open(k.key, iv, tag, data);
      } catch {
        // the GCM tag did not verify under this key: try the next
      }
    }
    throw new SecretKeyMissingError();
  }
  throw new Error("Unrecognised encrypted secret format");
}

/** Whether a stored secret is already under the current key (what `secrets:rotate` skips). */
export const isCurrentKey = (stored: string) => stored.startsWith(`v2.${ring().current.id}.`);

/** 32 random bytes, hex: the trigger secret format of the seed's examples. */
export const generateTriggerSecret = () => randomBytes(32).toString("hex");

export const sha256 = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time string comparison (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

/** What an API answer shows of a credential: its last four characters when it is long enough to spare them. */
export function maskCredential(value: string): string {
  return value.length >= 12 ? `••••${value.slice(-4)}` : "••••";
}

export const isMasked = (value: string) => value.startsWith("••••");
