import { expect, test } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import { createBot, json } from "./fixtures/resources";

const T = "/api/v1/integration/trigger";

test("250 triggers walked with take=7 in both orders, with inserts between pages; JSONL returns all", async () => {
  test.setTimeout(180_000);
  const { api } = await userWithToken();
  const botId = await createBot(api);
  const ids: string[] = [];
  for (let i = 0; i < 250; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: 10 }, (_, j) =>
        api
          .post(`${T}/create`, { data: { botId, name: `t${i + j}`, authenticate: false } })
          .then((r) => json(r)),
      ),
    );
    ids.push(...batch.map((b) => b.id));
  }
  const sorted = [...ids].sort();

  for (const order of ["desc", "asc"] as const) {
    const seen: string[] = [];
    const inserted: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await json(
        await api.get(`${T}/list?take=7&order=${order}${cursor ? `&cursor=${cursor}` : ""}`),
      );
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((t: { id: string }) => t.id));
      cursor = page.cursor;
      if (pages++ % 5 === 0)
        inserted.push(
          (await json(await api.post(`${T}/create`, { data: { botId, name: "late" } }))).id,
        );
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const expected = order === "desc" ? [...sorted].reverse() : sorted;
    // desc: rows inserted during the walk are newer than the first page and never appear;
    // asc: they are appended at the end and appear exactly once.
    expect(seen.filter((id) => ids.includes(id))).toEqual(expected);
    expect(seen).toEqual(
      [...seen].sort((x, y) => (order === "asc" ? x.localeCompare(y) : y.localeCompare(x))),
    );
    if (order === "desc") expect(seen.some((id) => inserted.includes(id))).toBe(false);
    ids.push(...inserted);
    sorted.push(...inserted);
    sorted.sort();
  }

  const stream = await api.get(`${T}/list`, { headers: { accept: "application/jsonl" } });
  const lines = (await stream.text())
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(lines.every((l) => l.type === "item")).toBe(true);
  expect(lines.map((l) => l.data.id)).toEqual([...sorted].reverse());
  expect(lines.length).toBe(ids.length);
  expect(lines.length).toBeGreaterThanOrEqual(250);
});
