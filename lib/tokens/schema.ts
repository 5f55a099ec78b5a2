import { z } from "zod";

export const MAX_TOKEN_NAME_LENGTH = 100;

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, "is required").max(MAX_TOKEN_NAME_LENGTH),
});
