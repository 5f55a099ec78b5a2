import { gzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import { signUpInBrowser } from "./fixtures/ui";

test("the first load of /triggers ships under 250 kB of gzipped JavaScript", async ({
  page,
  browser,
}) => {
  await signUpInBrowser(page);
  // A fresh page in the same context: nothing cached in memory, cookies kept.
  const fresh = await page.context().newPage();
  const scripts = new Map<string, number>();
  fresh.on("response", async (res) => {
    if (res.request().resourceType() !== "script") return;
    const body = await res.body().catch(() => null);
    if (body) scripts.set(res.url(), gzipSync(body).length);
  });
  await fresh.goto("/triggers", { waitUntil: "networkidle" });
  await expect(fresh.getByRole("heading", { name: "Triggers", level: 1 })).toBeVisible();
  const total = [...scripts.values()].reduce((a, b) => a + b, 0);
  console.log(
    `/triggers first load: ${scripts.size} scripts, ${(total / 1024).toFixed(1)} kB gzipped`,
  );
  expect(scripts.size).toBeGreaterThan(0);
  expect(total).toBeLessThan(250 * 1024);
  void browser;
});
