import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import { env } from "@/lib/env";

// Trigger secrets are encrypted at rest with AES-256-GCM under a key derived
// from APP_SECRET; the stored form is v1.<iv>.<tag>.<ciphertext> (base64url).
// Derived once per APP_SECRET value (the event endpoint decrypts on every request).
let derived: { secret: string; key: Buffer } | undefined;
function key(): Buffer {
  const secret = env().APP_SECRET;
  if (derived?.secret !== secret) {
    derived = {
      secret,
      key: Buffer.from(hkdfSync("sha256", secret, "trigger-secrets", "aes-256-gcm", 32)),
    };
  }
  return derived.key;
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

export function decryptSecret(stored: string): string {
  const [version, iv, tag, data] = stored.split(".");
  if (version !== "v1" || !iv || !tag || !data)
    throw new Error("Unrecognised encrypted secret format");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(data, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}

/** 32 random bytes, hex: the trigger secret format of the seed's examples. */
export const generateTriggerSecret = () => randomBytes(32).toString("hex");

/** Constant-time string comparison (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}
