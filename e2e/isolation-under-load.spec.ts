import { expect, test } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import type { APIRequestContext } from "@playwright/test";
import { sendEvent } from "./fixtures/pipeline";
import { createTrigger, json } from "./fixtures/resources";

test("isolation under load: two owners hammering their own triggers never see each other's rows", async ({
  request,
}) => {
  test.setTimeout(120_000);
  const owners = await Promise.all([userWithToken(), userWithToken()]);
  const triggers = await Promise.all(
    owners.map((o) =>
      createTrigger(o.api, {
        authenticate: false,
        rateLimitPerSecond: 1000,
        rateLimitBurst: 10_000,
      }),
    ),
  );
  const PER_OWNER = 150;
  // interleave both owners' events and list calls
  const jobs: Promise<unknown>[] = [];
  for (let i = 0; i < PER_OWNER; i++) {
    for (const k of [0, 1]) {
      jobs.push(
        sendEvent(request, triggers[k].id, {
          query: `contact.email=user${i % 5}@owner${k}.test`,
          data: { owner: k, n: i },
        }).then((r) => expect(r.status()).toBe(202)),
      );
      if (i % 25 === 0)
        jobs.push(
          owners[k].api
            .get("/api/v1/conversation/list?take=100")
            .then((r) => expect(r.status()).toBe(200)),
        );
    }
  }
  await Promise.all(jobs);
  for (const k of [0, 1]) {
    await expect
      .poll(async () => countCompleted(owners[k].api, triggers[k].id), { timeout: 60_000 })
      .toBe(PER_OWNER);
  }
  for (const k of [0, 1]) {
    const other = 1 - k;
    const mine = owners[k].api;
    const convs = (await json(await mine.get("/api/v1/conversation/list?take=100"))).items as {
      id: string;
      triggerId: string;
    }[];
    expect(convs.length).toBe(5);
    expect(convs.every((c) => c.triggerId === triggers[k].id)).toBe(true);
    const contacts = (await json(await mine.get("/api/v1/contact/list?take=100"))).items as {
      email: string;
    }[];
    expect(contacts.map((c) => c.email).sort()).toEqual(
      [0, 1, 2, 3, 4].map((i) => `user${i}@owner${k}.test`),
    );
    const triggerList = (await json(await mine.get("/api/v1/integration/trigger/list"))).items as {
      id: string;
    }[];
    expect(triggerList.map((t) => t.id)).toEqual([triggers[k].id]);
    expect(
      (await mine.get(`/api/v1/integration/trigger/${triggers[other].id}/event/list`)).status(),
    ).toBe(404);
    const othersConversation = (
      await json(await owners[other].api.get("/api/v1/conversation/list?take=1"))
    ).items[0].id;
    expect(
      (await mine.get(`/api/v1/conversation/${othersConversation}/message/list`)).status(),
    ).toBe(404);
    // every message in my conversations is about my events
    for (const c of convs) {
      const msgs = (
        await json(await mine.get(`/api/v1/conversation/${c.id}/message/list?take=100`))
      ).items as { type: string; meta: { payload?: { owner: number } } }[];
      for (const m of msgs.filter((x) => x.type === "user")) expect(m.meta.payload?.owner).toBe(k);
    }
  }
});

async function countCompleted(api: APIRequestContext, triggerId: string) {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await json(
      await api.get(
        `/api/v1/integration/trigger/${triggerId}/event/list?take=100&status=completed${cursor ? `&cursor=${cursor}` : ""}`,
      ),
    );
    n += page.items.length;
    cursor = page.cursor;
  } while (cursor);
  return n;
}
