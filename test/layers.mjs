// The layers of the code, bottom to top, as ESLint enforces them (eslint.config.mjs) and
// docs/architecture.md explains them. A folder may import the folders listed before it and its
// own files, never one listed after it: that is what keeps the folder-level import graph free of
// cycles (test/layers.test.ts prints it).
export const LAYERS = [
  // foundation: no database, no domain
  "lib/observability",
  "lib/core",
  "lib/crypto",
  "lib/cel",
  "inngest/client.ts",
  // the database: schema, connection, query helpers (owned lookups, keyset pages)
  "db",
  // domains, each owning its tables' rules; later ones call earlier ones' exported functions
  "lib/api-tokens",
  "lib/auth",
  "lib/blueprints",
  "lib/models",
  "lib/abilities",
  "lib/skillsets",
  "lib/bots",
  "lib/jobs",
  "lib/conversations",
  "lib/outbox",
  "lib/approvals",
  "lib/stats",
  "lib/events",
  "lib/schedules",
  "lib/triggers",
  "lib/processing",
  "lib/dry-runs",
  // the composition root (start-up, timers, maintenance) and the HTTP layer (only app/ uses it)
  "lib/server",
  "lib/http",
  // the browser's helpers and components, then the routes and the Inngest functions
  "lib/client",
  "components",
  "inngest/functions",
  "app",
];

/** Layers whose folder may be imported only by app/ (and itself). */
const ONLY_APP = ["lib/http"];

/** import/no-restricted-paths zones: nothing imports a folder listed after it. */
export function layerZones(layers) {
  const zones = [];
  layers.forEach((target, i) => {
    const above = layers.slice(i + 1);
    if (above.length)
      zones.push({
        target: `./${target}`,
        from: above.map((l) => `./${l}`),
        message: `${target} sits below these folders (test/layers.mjs): move the shared code down, or call it from above.`,
      });
  });
  for (const only of ONLY_APP)
    zones.push({
      target: layers.filter((l) => l !== only && l !== "app").map((l) => `./${l}`),
      from: `./${only}`,
      message: `${only} is the handler layer: only app/ imports it.`,
    });
  return zones;
}
