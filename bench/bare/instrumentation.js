// Without this file Next.js picks up the product's instrumentation.ts from the directory above.
export function register() {}
