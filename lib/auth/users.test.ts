import { describe, expect, it, vi } from "vitest";

// every argon2 verification the sign-in makes, counted (the real one still runs)
const verified = vi.hoisted(() => ({ count: 0 }));
vi.mock("./password", async (importOriginal) => {
  const real = await importOriginal<typeof import("./password")>();
  return {
    ...real,
    verifyPassword: async (stored: string, password: string) => {
      verified.count++;
      return real.verifyPassword(stored, password);
    },
  };
});

import { authenticateUser, createUser } from "./users";

describe("sign-in with a password", () => {
  it("an unknown email costs an argon2 verification as a wrong password does, and gets the same answer", async () => {
    const email = `known-${Date.now()}@example.test`;
    await createUser({ email, password: "right-password-123" });
    verified.count = 0;
    expect(await authenticateUser(email, "wrong-password-1")).toBeNull();
    expect(verified.count).toBe(1);
    expect(
      await authenticateUser(`nobody-${Date.now()}@example.test`, "wrong-password-1"),
    ).toBeNull();
    expect(verified.count).toBe(2);
    expect((await authenticateUser(email, "right-password-123"))?.email).toBe(email);
    expect(verified.count).toBe(3);
  });
});
