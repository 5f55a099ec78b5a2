// Footprint: RSS after start-up and after 10,000 events processed (echo model), and the
// single-box rate, embedded and (with DATABASE_URL or BENCH_POSTGRES_URL) on PostgreSQL; with
// where the machine's CPU went per event (the server, the PostgreSQL backends, the load), and on
// PostgreSQL the same load once more with the runs in a second process on the same machine.
import { cannon } from "../lib/load.mjs";
import { cpuSnapshot, setup, startBare, startServer } from "../lib/servers.mjs";

const DRAIN_DEADLINE_MS = 10 * 60_000;

/** Fills `f.footprint`. */
export async function footprint(f, opts) {
  const { quick } = opts;
  const FOOTPRINT_EVENTS = quick ? 2000 : 10_000;
  const settle = () => new Promise((r) => setTimeout(r, 2000));
  const send = (url, headers) =>
    cannon({ url, connections: 16, amount: FOOTPRINT_EVENTS, headers });
  f.footprint = {
    events: FOOTPRINT_EVENTS,
    target: "embedded <= 350 MB after the events",
  };
  const bare = await startBare();
  try {
    await settle();
    const atStart = bare.rssMb();
    await send(bare.url, { "content-type": "application/json" });
    await settle();
    f.footprint.bare = { atStart: Math.round(atStart), after: Math.round(bare.rssMb()) };
  } finally {
    await bare.stop();
  }
  const postgresUrl = process.env.DATABASE_URL || process.env.BENCH_POSTGRES_URL || undefined;
  const runs = [
    ["embedded", ""],
    ["postgres", postgresUrl],
    ["postgresSplit", postgresUrl],
  ];
  for (const [name, databaseUrl] of runs) {
    if (databaseUrl === undefined) continue;
    const split = name === "postgresSplit";
    // split: this server only accepts events (INLINE_RUNNER=false), a second one runs them
    const server = await startServer({ inlineRunner: !split, databaseUrl });
    const runner = split
      ? await startServer({ inlineRunner: true, sharedDatabaseUrl: server.databaseUrl }).catch(
          async (error) => {
            await server.stop();
            throw error;
          },
        )
      : null;
    try {
      await settle();
      const atStart = server.rssMb();
      const { trigger, api } = await setup(server.base);
      const diskBefore = await server.diskBytes();
      const cpuBefore = cpuSnapshot();
      const serversBefore = server.cpuSeconds() + (runner?.cpuSeconds() ?? 0);
      const started = Date.now();
      const sent = await send(trigger.eventUrl, {
        "content-type": "application/json",
        authorization: `Bearer ${trigger.secret}`,
      });
      if (sent.non2xx) throw new Error(`footprint: ${sent.non2xx} events refused`);
      const pending = async (status) =>
        (await api(`/api/v1/integration/trigger/${trigger.id}/event/list?status=${status}&take=1`))
          .items.length;
      while ((await pending("queued")) + (await pending("processing")) > 0) {
        if (Date.now() - started > DRAIN_DEADLINE_MS)
          throw new Error(`footprint (${name}): events still pending after 10 minutes`);
        await new Promise((r) => setTimeout(r, 500));
      }
      const seconds = (Date.now() - started) / 1000;
      const cpu = cpuSnapshot().since(cpuBefore);
      const serverSeconds = server.cpuSeconds() + (runner?.cpuSeconds() ?? 0) - serversBefore;
      const perEvent = (s) => +((s * 1000) / FOOTPRINT_EVENTS).toFixed(2);
      const diskAfter = await server.diskBytes();
      await settle();
      f.footprint[name] = {
        ...(!split && { atStart: Math.round(atStart), after: Math.round(server.rssMb()) }),
        // accepted and completed as fast as 16 senders and the runner go: the single-box rate
        completedPerSecond: +(FOOTPRINT_EVENTS / seconds).toFixed(1),
        // the event (1 KiB payload) with its conversation's user and bot messages
        bytesPerEvent: Math.round((diskAfter - diskBefore) / FOOTPRINT_EVENTS),
        // CPU milliseconds per event: our server process(es), this machine's PostgreSQL backends
        // (0 when the database is elsewhere), the load generator (this process); and how busy
        // the machine was (1 = every core all the time)
        cpuMsPerEvent: {
          server: perEvent(serverSeconds),
          postgres: perEvent(cpu.postgresSeconds),
          load: perEvent(cpu.loadSeconds),
          machine: perEvent(cpu.machineBusySeconds),
        },
        machineBusy: +(cpu.machineBusySeconds / cpu.machineSeconds).toFixed(2),
      };
    } finally {
      try {
        await runner?.stop();
      } finally {
        await server.stop();
      }
    }
  }
}
