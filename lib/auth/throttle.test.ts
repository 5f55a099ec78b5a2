import { describe, expect, it } from "vitest";
import { checkPasswordThrottled, UNDER_ATTACK_DELAY_MS } from "./throttle";

const right = async () => true;
const wrong = async () => false;

describe("nobody can lock an owner out", () => {
  it("sixty wrong passwords from sixty other addresses leave the owner's right password working, from an address that was not failing", async () => {
    const email = `owner-${Date.now()}@example.test`;
    let slowed = 0;
    for (let i = 1; i <= 60; i++) {
      const started = Date.now();
      expect(await checkPasswordThrottled(`10.1.${i}.1`, email, wrong)).toBe("wrong");
      if (Date.now() - started >= UNDER_ATTACK_DELAY_MS) slowed++;
    }
    // the account's allowance ran dry part way: the rest of the guesses were answered slowly
    expect(slowed).toBeGreaterThan(0);
    const started = Date.now();
    expect(await checkPasswordThrottled("10.2.0.1", email, right)).toBe("ok");
    expect(Date.now() - started).toBeLessThan(UNDER_ATTACK_DELAY_MS);
  }, 60_000);

  it("an address that keeps failing is refused, even with the right password, while others are not", async () => {
    const email = `target-${Date.now()}@example.test`;
    for (let i = 0; i < 10; i++)
      expect(await checkPasswordThrottled("10.3.0.1", email, wrong)).toBe("wrong");
    expect(await checkPasswordThrottled("10.3.0.1", email, right)).toMatchObject({
      throttled: expect.any(Number),
    });
    expect(await checkPasswordThrottled("10.3.0.2", email, right)).toBe("ok");
  });
});
