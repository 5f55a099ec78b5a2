// The figures as a markdown table with their targets.

const cpuLabels = {
  embedded: "embedded",
  postgres: "PostgreSQL",
  postgresSplit: "PostgreSQL, runs in a second process",
};

/** The table's rows: [figure, measured, target, met (true, false or null: reported only)]. */
export function reportRows(f) {
  return [
    ...(f.ingest?.rounds ?? []).map((r, i) => [
      `Ingest round ${i + 1}, 32 connections, 1 KiB JSON`,
      `bare app ${r.bareRps} rps; ours ${r.ingestRps} rps (**${r.ingestRatio}** of bare), p99 ${r.ingestP99} ms (bare ${r.bareP99} ms); in-app ceiling ${r.ceilingRps} rps (${r.ceilingRatio} of bare); non-2xx ${r.non2xx}`,
      f.ingest.target,
      r.ingestRatio >= 0.8 && r.non2xx === 0,
    ]),
    f.fixedRate && [
      "Ingest at an even 200 events/s, 8 connections",
      `p50 ${f.fixedRate.p50} ms, p99 ${f.fixedRate.p99} ms (bare app p50 ${f.fixedRate.bareP50} ms, p99 ${f.fixedRate.bareP99} ms: ${f.fixedRate.p99Ratio}x), achieved ${f.fixedRate.achievedRate}/s, non-2xx ${f.fixedRate.non2xx}`,
      f.fixedRate.target,
      f.fixedRate.p99 <= 50 &&
        f.fixedRate.p99Ratio <= 2 &&
        f.fixedRate.non2xx === 0 &&
        f.fixedRate.errors === 0,
    ],
    f.bursts && [
      "Ingest in bursts of 200 once a second (autocannon overallRate)",
      `p50 ${f.bursts.p50} ms, p99 ${f.bursts.p99} ms, non-2xx ${f.bursts.non2xx}`,
      "reported only",
      null,
    ],
    f.endToEnd && [
      `End to end, ${f.endToEnd.events} events at an even 100/s, echo model`,
      `p50 ${f.endToEnd.p50} ms, p99 ${f.endToEnd.p99} ms, drain ${f.endToEnd.drainPerSecond}/s`,
      f.endToEnd.target,
      f.endToEnd.p50 <= 50,
    ],
    f.listing && [
      `Listing, ${f.listing.triggers} triggers`,
      `first p95 ${f.listing.firstP95} ms, deep (50%) p95 ${f.listing.deepP95} ms, ratio ${f.listing.ratio}`,
      f.listing.target,
      f.listing.ratio <= 1.5 && f.listing.deepP95 <= 20 && f.listing.firstP95 <= 20,
    ],
    f.history && [
      `Growth: p95 (ms) empty -> with ${f.history.events.toLocaleString()} past events and messages on the trigger`,
      Object.keys(f.history.empty)
        .map((k) => `${k} ${f.history.empty[k]} -> ${f.history.full[k]} (${f.history.ratios[k]}x)`)
        .join("; "),
      f.history.target,
      Object.values(f.history.ratios).every((r) => r <= 1.5) && f.history.full.charts < 50,
    ],
    f.memory && [
      `Memory, ${f.memory.events} events`,
      `RSS ${f.memory.rssMbAtHalf} MB -> ${f.memory.rssMbAtFull} MB (${(f.memory.growth * 100).toFixed(1)}%)`,
      f.memory.target,
      f.memory.growth < 0.1,
    ],
    f.footprint && [
      `Footprint (RSS) after start-up / after ${f.footprint.events} events processed`,
      [
        `bare app ${f.footprint.bare.atStart} / ${f.footprint.bare.after} MB`,
        `embedded ${f.footprint.embedded.atStart} / ${f.footprint.embedded.after} MB`,
        f.footprint.postgres &&
          `PostgreSQL ${f.footprint.postgres.atStart} / ${f.footprint.postgres.after} MB`,
      ]
        .filter(Boolean)
        .join("; "),
      f.footprint.target,
      f.footprint.embedded.after <= 350,
    ],
    f.footprint && [
      `Single box: ${f.footprint.events} events sent at full speed, accepted and completed (echo model)`,
      ["embedded", "postgres"]
        .filter((k) => f.footprint[k])
        .map(
          (k) =>
            `${k === "embedded" ? "embedded" : "PostgreSQL"} ${f.footprint[k].completedPerSecond} events/s, ${f.footprint[k].bytesPerEvent} bytes on disk per event`,
        )
        .join("; "),
      ">= 250 events/s embedded, >= 500 on PostgreSQL",
      (f.footprint.embedded?.completedPerSecond ?? 0) >= 250 &&
        (!f.footprint.postgres || f.footprint.postgres.completedPerSecond >= 500),
    ],
    f.footprint?.postgresSplit && [
      "The same on PostgreSQL with the runs in a second process on the same machine (INLINE_RUNNER=false for the server taking the events)",
      `${f.footprint.postgresSplit.completedPerSecond} events/s`,
      "reported only",
      null,
    ],
    f.footprint && [
      "CPU per event in those runs, ms: our server(s), this machine's PostgreSQL backends, the load generator, the whole machine (and how busy it was)",
      Object.entries(cpuLabels)
        .filter(([k]) => f.footprint[k]?.cpuMsPerEvent)
        .map(([k, label]) => {
          const c = f.footprint[k].cpuMsPerEvent;
          return `${label}: server ${c.server}, PostgreSQL ${c.postgres}, load ${c.load}, machine ${c.machine} (${Math.round(f.footprint[k].machineBusy * 100)}% busy)`;
        })
        .join("; "),
      "reported only: the drain's ceiling is the machine's cores over the machine's CPU per event",
      null,
    ],
    f.soak && [
      `Soak, ${f.soak.minutes} min: events at 50/s, API reads at 5/s, a schedule every minute`,
      `RSS ${f.soak.perMinute[0]?.rssMb} -> ${f.soak.perMinute.at(-1)?.rssMb} MB (${(f.soak.rssGrowth * 100).toFixed(1)}% over the last two thirds); slopes per minute: ${Object.entries(
        f.soak.slopes,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ", ",
        )}; last minute heap ${f.soak.perMinute.at(-1)?.heapMb} MB, loop delay p99 ${f.soak.perMinute.at(-1)?.loopDelayP99Ms} ms, event p99 ${f.soak.perMinute.at(-1)?.p99Ms} ms, backlog ${f.soak.perMinute.at(-1)?.backlog}; ${f.soak.scheduledRuns} scheduled runs; ${f.soak.failures} failed requests${f.soak.failures ? ` (${JSON.stringify(f.soak.failed)})` : ""}`,
      f.soak.target,
      f.soak.rssGrowth < 0.05 && f.soak.failures === 0 && f.soak.slopes.backlog <= 1,
    ],
    f.heap && [
      `Allocated per event request, garbage included (${f.heap.requests} requests, 32 connections)`,
      `bare app ${f.heap.bareKbPerRequest} KB; ours ${f.heap.oursKbPerRequest} KB; most beyond the bare app: ${f.heap.beyond
        .slice(0, 5)
        .map((b) => `${b.site} ${b.kbPerRequest} KB`)
        .join("; ")}`,
      "reported only (issue 28 item 3)",
      null,
    ],
  ].filter(Boolean);
}

export function reportTable(results, quick) {
  const rows = reportRows(results.figures);
  return [
    `Benchmarks: ${results.database}, ${results.cpus} cores, Node ${results.node}, ${results.date}${quick ? " (quick run)" : ""}`,
    "",
    "| figure | measured | target | met |",
    "|---|---|---|---|",
    ...rows.map(
      ([a, b, c, d]) => `| ${a} | ${b} | ${c} | ${d === null ? "-" : d ? "yes" : "**no**"} |`,
    ),
  ].join("\n");
}
