import type { Ability } from "@/db/schema";
import { ApiError } from "@/lib/core/errors";
import { decryptSecret, encryptSecret, isMasked, maskCredential } from "@/lib/crypto/secrets";

// An ability's header values (API keys) and a webhook's signing secret are
// credentials of a third party: stored encrypted beside the config, never
// returned (the API shows header names with masked values and `secretSet`),
// and kept by an update that leaves them out or sends the mask back.

export type AbilityCredentials = { headers?: Record<string, string>; secret?: string };

type Config = Record<string, unknown>;

/** The config without its credentials, and the credentials alone. */
export function splitCredentials(config: Config): {
  config: Config;
  credentials: AbilityCredentials;
} {
  const { headers, secret, ...rest } = config;
  const credentials: AbilityCredentials = {};
  if (headers && typeof headers === "object" && Object.keys(headers).length)
    credentials.headers = headers as Record<string, string>;
  if (typeof secret === "string" && secret) credentials.secret = secret;
  return { config: rest, credentials };
}

export const sealCredentials = (c: AbilityCredentials): string | null =>
  c.headers || c.secret ? encryptSecret(JSON.stringify(c)) : null;

/** The stored credentials; a row written by the first release may still hold them in its config. */
export function readCredentials(
  ability: Pick<Ability, "config" | "secretsEnc">,
): AbilityCredentials {
  const legacy = splitCredentials(ability.config).credentials;
  const sealed = ability.secretsEnc
    ? (JSON.parse(decryptSecret(ability.secretsEnc)) as AbilityCredentials)
    : {};
  return { ...legacy, ...sealed };
}

/** The config the ability runs with: its stored config and its credentials together. */
export function runtimeConfig(ability: Pick<Ability, "config" | "secretsEnc">): Config {
  return { ...splitCredentials(ability.config).config, ...readCredentials(ability) };
}

/** What the API shows: header names with masked values, and whether a secret is set. */
export function publicConfig(ability: Pick<Ability, "kind" | "config" | "secretsEnc">): Config {
  const { config } = splitCredentials(ability.config);
  const credentials = readCredentials(ability);
  const out: Config = { ...config };
  if (credentials.headers) {
    out.headers = Object.fromEntries(
      Object.entries(credentials.headers).map(([k, v]) => [k, maskCredential(v)]),
    );
  }
  if (ability.kind === "webhook") out.secretSet = Boolean(credentials.secret);
  return out;
}

/**
 * The config an update asks for, with credentials filled in from the stored
 * ones: omitted headers or secret are kept, a masked header value keeps that
 * header's value, `secret: null` removes the secret.
 */
export function mergeCredentials(requested: Config, stored: AbilityCredentials): Config {
  const out: Config = { ...requested };
  delete out.secretSet;
  if (requested.headers === undefined) {
    if (stored.headers) out.headers = stored.headers;
  } else if (requested.headers && typeof requested.headers === "object") {
    const storedByName = new Map(
      Object.entries(stored.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    );
    out.headers = Object.fromEntries(
      Object.entries(requested.headers as Record<string, unknown>).map(([name, value]) => {
        if (typeof value !== "string" || !isMasked(value)) return [name, value];
        const kept = storedByName.get(name.toLowerCase());
        if (kept === undefined) {
          throw new ApiError(
            "VALIDATION_ERROR",
            `Invalid body: config.headers.${name}: send the value`,
            {
              issues: [
                {
                  path: `config.headers.${name}`,
                  message: "has no stored value to keep; send the value",
                },
              ],
            },
          );
        }
        return [name, kept];
      }),
    );
  }
  if (requested.secret === undefined) {
    if (stored.secret) out.secret = stored.secret;
  } else if (requested.secret === null || requested.secret === "") delete out.secret;
  return out;
}
