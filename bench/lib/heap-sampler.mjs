// Loaded into a measured server with `--import` by `npm run bench -- --only=heap`: V8's sampling
// heap profiler, counting what the collector frees too (the per-request garbage), started on
// SIGWINCH (after the warm-up) and written to $HEAP_PROFILE_FILE on SIGUSR2.
import fs from "node:fs";
import inspector from "node:inspector";

const session = new inspector.Session();
session.connect();
session.post("HeapProfiler.enable");
process.on("SIGWINCH", () =>
  session.post("HeapProfiler.startSampling", {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  }),
);
process.on("SIGUSR2", () =>
  session.post("HeapProfiler.stopSampling", (error, result) => {
    const file = process.env.HEAP_PROFILE_FILE;
    if (!file) return;
    fs.writeFileSync(
      `${file}.partial`,
      JSON.stringify(error ? { error: String(error) } : result.profile),
    );
    fs.renameSync(`${file}.partial`, file);
  }),
);
