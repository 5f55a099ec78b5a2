import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import { LAYERS, layerZones } from "./test/layers.mjs";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      "**/.next/**",
      ".data/**",
      "db/migrations/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
];
// The layers (docs/architecture.md), bottom to top; an import that climbs is an error, so CI fails
// on a new back edge. Within a layer, folders are in order too: each imports only those before it.
config.push({
  files: ["**/*.{ts,tsx,mjs}"],
  // tests sit beside the code they test and may set up what they need from any layer
  ignores: ["**/*.test.ts", "e2e/**", "bench/**", "test/**"],
  settings: { "import/ignore": ["node_modules"] },
  rules: {
    "import/no-cycle": ["error", { ignoreExternal: true }],
    "import/no-restricted-paths": ["error", { zones: layerZones(LAYERS) }],
  },
});

export default config;
