// The same Next.js version as the app (it resolves from the root node_modules), nothing configured.
const config = {};
export default config;
