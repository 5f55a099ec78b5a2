import { afterAll, describe, expect, it } from "vitest";
import { setEnv } from "@/test/env";
import { addressKey, takeBuckets } from "./throttle";
import { createUser, linkedAccounts, resolveOAuthUser } from "./users";

afterAll(() => setEnv({ ALLOW_SIGNUP: undefined }));

const identity = (subject: string, email: string) => ({
  provider: "github",
  subject,
  email,
  emailVerified: true,
});

describe("external sign-in against the database", () => {
  it("makes no account through a provider while sign-up is closed; a linked identity still signs in", async () => {
    setEnv({ ALLOW_SIGNUP: "true" });
    const open = await resolveOAuthUser(
      identity("gh-1", `a-${Date.now()}@corp.test`),
      null,
      "10.0.0.1",
    );
    expect(await linkedAccounts(open)).toEqual([expect.objectContaining({ provider: "github" })]);
    setEnv({ ALLOW_SIGNUP: "false" });
    await expect(
      resolveOAuthUser(identity("gh-2", `b-${Date.now()}@corp.test`), null, "10.0.0.1"),
    ).rejects.toMatchObject({ code: "OAuthSignupClosed" });
    expect(await resolveOAuthUser(identity("gh-1", "changed@corp.test"), null, "10.0.0.1")).toBe(
      open,
    );
  });

  it("never lands in an account that merely has the same email", async () => {
    setEnv({ ALLOW_SIGNUP: "true" });
    const email = `victim-${Date.now()}@corp.test`;
    await createUser({ email, password: "victims-passphrase" });
    await expect(
      resolveOAuthUser(identity("gh-attacker", email), null, "10.0.0.2"),
    ).rejects.toMatchObject({
      code: "OAuthAccountExists",
    });
  });
});

describe("throttle buckets", () => {
  it("parallel attempts cannot all slip through: a bucket of 10 lets exactly 10 pass", async () => {
    const bucket = [{ key: `test:parallel:${Date.now()}`, perHour: 10 }];
    const results = await Promise.all(Array.from({ length: 30 }, () => takeBuckets(bucket)));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    const refused = results.find((r) => !r.ok);
    expect(refused).toMatchObject({ ok: false, retryAfterSeconds: expect.any(Number) });
  });

  it("counts IPv6 clients by their /64, IPv4 (also mapped) by address", () => {
    expect(addressKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2::99")).toBe(addressKey("2001:db8:1:2:ffff::1"));
    expect(addressKey("::ffff:10.0.0.7")).toBe("10.0.0.7");
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
  });
});
