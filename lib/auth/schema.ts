import { z } from "zod";

// The sign-up and password rules, shared by the routes and the forms (no server code here).

const COMMON = new Set([
  "password",
  "password1",
  "password123",
  "12345678",
  "123456789",
  "1234567890",
  "qwertyuiop",
  "iloveyou",
  "letmein123",
  "admin1234",
]);

export const passwordSchema = z
  .string()
  .min(8, "must be at least 8 characters")
  .max(256, "must be at most 256 characters")
  .refine((p) => !COMMON.has(p.toLowerCase()), "is too common; choose another")
  .refine((p) => new Set(p).size >= 4, "is too simple; use more different characters");

export const signupSchema = z.object({
  email: z
    .email("must be an email address")
    .max(254)
    .transform((e) => e.toLowerCase()),
  password: passwordSchema,
  name: z.string().trim().max(100).optional(),
});
