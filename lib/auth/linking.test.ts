import { describe, expect, it } from "vitest";
import { decideOAuthSignIn, type OAuthIdentity } from "./linking";

const github = (over: Partial<OAuthIdentity> = {}): OAuthIdentity => ({
  provider: "github",
  subject: "12345",
  email: "victim@corp.test",
  emailVerified: true,
  ...over,
});
const decide = (over: Partial<Parameters<typeof decideOAuthSignIn>[0]>) =>
  decideOAuthSignIn({
    identity: github(),
    linkedUserId: null,
    connectingUserId: null,
    emailOwnerId: null,
    ...over,
  });

describe("external sign-in linking", () => {
  it("never attaches to an existing account because the emails match", () => {
    // someone signed up with the victim's address first; the victim's SSO must not land there
    const d = decide({ emailOwnerId: "user_squatter" });
    expect(d.action).toBe("refuse");
    expect(d).toMatchObject({ reason: expect.stringContaining("connect GitHub under Account") });
    // nor the other way round: an IdP claiming someone's email does not reach their account
    expect(decide({ emailOwnerId: "user_victim" }).action).toBe("refuse");
  });

  it("signs in to the account linked by (provider, subject), whatever the email says now", () => {
    expect(decide({ linkedUserId: "user_a", emailOwnerId: "user_b" })).toEqual({
      action: "sign-in",
      userId: "user_a",
    });
    expect(
      decide({ identity: github({ email: null, emailVerified: false }), linkedUserId: "user_a" }),
    ).toEqual({ action: "sign-in", userId: "user_a" });
  });

  it("links from account settings only with a verified email, and never someone else's link", () => {
    expect(decide({ connectingUserId: "user_a", emailOwnerId: "user_a" })).toEqual({
      action: "link",
      userId: "user_a",
    });
    expect(
      decide({ connectingUserId: "user_a", identity: github({ emailVerified: false }) }).action,
    ).toBe("refuse");
    expect(decide({ connectingUserId: "user_a", linkedUserId: "user_b" }).action).toBe("refuse");
  });

  it("creates a new account only for a verified email nobody has", () => {
    expect(decide({})).toEqual({ action: "create" });
    expect(decide({ identity: github({ emailVerified: false }) }).action).toBe("refuse");
    expect(decide({ identity: github({ email: null }) }).action).toBe("refuse");
  });
});
