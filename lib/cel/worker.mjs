// The evaluation worker (./index.ts): expressions that did not finish within the server thread's
// short budget get the rest of theirs here, so the thread serving every other request never waits.
import { parentPort } from "node:worker_threads";
import { evaluateExpression } from "./engine.mjs";

parentPort.on("message", ({ id, src, activation, budgetMs, expect }) => {
  let result;
  try {
    result = evaluateExpression(src, activation, budgetMs, expect);
  } catch (error) {
    result = { ok: false, code: "error", message: String(error?.message ?? error) };
  }
  parentPort.postMessage({ id, result });
});
