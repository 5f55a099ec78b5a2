import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users, type User } from "@/db/schema";
import { ApiError } from "@/lib/api/errors";
import { newId } from "@/lib/ids";
import { hashPassword, verifyPassword } from "./password";

export async function createUser(input: { email: string; password?: string; name?: string }) {
  const db = await getDb();
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const [row] = await db
    .insert(users)
    .values({
      id: newId("user"),
      email: input.email.toLowerCase(),
      name: input.name ?? null,
      passwordHash,
    })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!row) throw new ApiError("CONFLICT", "An account with this email already exists");
  return row;
}

/** Returns the user when the password matches; the same answer for unknown email and wrong password. */
export async function authenticateUser(email: string, password: string): Promise<User | null> {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  if (!user?.passwordHash) return null;
  return (await verifyPassword(user.passwordHash, password)) ? user : null;
}

/** OAuth sign-ins: the account is keyed by its verified email. */
export async function findOrCreateOAuthUser(email: string, name?: string | null): Promise<User> {
  const db = await getDb();
  const [existing] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  if (existing) return existing;
  try {
    return await createUser({ email, name: name ?? undefined });
  } catch {
    const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
    return row;
  }
}
