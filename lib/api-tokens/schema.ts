import { z } from "zod";

export const MAX_TOKEN_NAME_LENGTH = 100;
/** The longest a token may be made to last; without `expiresInDays` it does not expire. */
export const MAX_TOKEN_DAYS = 3650;
/** The choices the dashboard offers (the API takes any whole number of days up to MAX_TOKEN_DAYS). */
export const TOKEN_EXPIRY_CHOICES = [7, 30, 90, 365] as const;

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, "is required").max(MAX_TOKEN_NAME_LENGTH),
  /** Days until the token stops working; null or absent: it does not expire. */
  expiresInDays: z
    .number({ error: "must be a number of days" })
    .int("must be a whole number of days")
    .min(1, "must be at least 1 day")
    .max(MAX_TOKEN_DAYS, `must be at most ${MAX_TOKEN_DAYS} days`)
    .nullish(),
  /** The account's password: needed unless the session signed in within the last 10 minutes. */
  password: z.string().max(256).optional(),
});

export type CreateTokenInput = z.infer<typeof createTokenSchema>;
