// 1-3: the web tier (inline runner off, so processing does not share the CPU): ingest against the
// bare app, a fixed rate, bursts, memory over the ingest path, listing over many triggers.
import { pacedLoad } from "../paced.mjs";
import { cannon, payload, summary, timeRequests } from "../lib/load.mjs";
import { setup, startBare, startServer } from "../lib/servers.mjs";

/** Fills `f.ingest, fixedRate, bursts, memory, listing`. */
export async function web(f, opts) {
  const { DURATION, MEMORY_EVENTS, TRIGGERS } = opts;
  const server = await startServer({ inlineRunner: false });
  try {
    const { trigger, token, botId, api } = await setup(server.base);
    const headers = {
      "content-type": "application/json",
      authorization: `Bearer ${trigger.secret}`,
    };
    // 1: ingest against the bare app, alternating bare / ours twice in one run
    const bare = await startBare();
    const rounds = [];
    let fixed;
    let bareFixed;
    try {
      await cannon({ url: bare.url, connections: 32, duration: 3, headers }); // warm-up
      await cannon({ url: trigger.eventUrl, connections: 32, duration: 3, headers });
      for (let round = 0; round < 2; round++) {
        const load = (url) => cannon({ url, connections: 32, duration: DURATION, headers });
        const bareRun = summary(await load(bare.url));
        const ingest = summary(await load(trigger.eventUrl));
        const ceiling = summary(await load(`${server.base}/api/test/ceiling`));
        rounds.push({ bare: bareRun, ingest, ceiling });
      }
      // 2: an even 200 events/s, the bare app first, then ours
      const paced = (url) =>
        pacedLoad({
          url,
          rate: 200,
          connections: 8,
          amount: 200 * DURATION,
          headers,
          body: payload,
        });
      bareFixed = await paced(bare.url);
      fixed = await paced(trigger.eventUrl);
    } finally {
      await bare.stop();
    }
    // the same average rate as autocannon sends it: 200 requests back to back at the start of each second
    const bursts = summary(
      await cannon({
        url: trigger.eventUrl,
        connections: 8,
        duration: DURATION,
        overallRate: 200,
        headers,
      }),
    );
    const ratio = (a, b) => +(a / b).toFixed(2);
    f.ingest = {
      rounds: rounds.map((r) => ({
        bareRps: r.bare.rps,
        ingestRps: r.ingest.rps,
        ceilingRps: r.ceiling.rps,
        ingestRatio: ratio(r.ingest.rps, r.bare.rps),
        ceilingRatio: ratio(r.ceiling.rps, r.bare.rps),
        ingestP99: r.ingest.p99,
        bareP99: r.bare.p99,
        non2xx: r.ingest.non2xx + r.ingest.errors,
      })),
      target: "ingest / bare >= 0.8 (acceptance 0.6), 0 non-2xx",
    };
    f.ingest.ratio = Math.min(...f.ingest.rounds.map((r) => r.ingestRatio));
    f.ingest.non2xx = f.ingest.rounds.reduce((a, r) => a + r.non2xx, 0);
    f.fixedRate = {
      ...fixed,
      bareP50: bareFixed.p50,
      bareP99: bareFixed.p99,
      p99Ratio: ratio(fixed.p99, bareFixed.p99),
      target: "p99 <= 2x the bare app's and <= 50 ms at 200 events/s",
    };
    f.bursts = {
      ...bursts,
      note: "autocannon overallRate=200: one burst of 200 a second; reported, no target",
    };
    const ingestSent = rounds.reduce((a, r) => a + r.ingest.requests, 0);

    // 4: memory over the ingest path
    const sendMany = (amount) =>
      cannon({ url: trigger.eventUrl, connections: 16, amount, headers });
    const sentSoFar = ingestSent + fixed.requests + bursts.requests;
    await sendMany(Math.max(16, MEMORY_EVENTS / 2 - sentSoFar));
    const rssHalf = server.rssMb();
    await sendMany(MEMORY_EVENTS / 2);
    const rssFull = server.rssMb();
    f.memory = {
      rssMbAtHalf: +rssHalf.toFixed(1),
      rssMbAtFull: +rssFull.toFixed(1),
      growth: +((rssFull - rssHalf) / rssHalf).toFixed(3),
      events: MEMORY_EVENTS,
      target: "growth < 10% between 50k and 100k events",
    };

    // 3: listing over 100k triggers
    await api("/api/test/seed-triggers", { botId, count: TRIGGERS });
    const auth = { authorization: `Bearer ${token}` };
    let cursor;
    for (let seen = 0; seen < TRIGGERS / 2; seen += 100) {
      const page = await api(
        `/api/v1/integration/trigger/list?take=100${cursor ? `&cursor=${cursor}` : ""}`,
      );
      cursor = page.cursor;
    }
    const first = await timeRequests(
      `${server.base}/api/v1/integration/trigger/list?take=20`,
      auth,
      200,
    );
    const deep = await timeRequests(
      `${server.base}/api/v1/integration/trigger/list?take=20&cursor=${cursor}`,
      auth,
      200,
    );
    f.listing = {
      triggers: TRIGGERS,
      firstP50: +first.p50.toFixed(1),
      firstP95: +first.p95.toFixed(1),
      deepP50: +deep.p50.toFixed(1),
      deepP95: +deep.p95.toFixed(1),
      ratio: +(deep.p95 / first.p95).toFixed(2),
      target: "deep/first <= 1.5, p95 <= 20 ms",
    };
  } finally {
    await server.stop();
  }
}
