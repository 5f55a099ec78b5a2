import "server-only";
import dc from "node:diagnostics_channel";
import type { ServerResponse } from "node:http";

/**
 * Shutting down: every answer from now on says `Connection: close`, so a client (a load balancer)
 * opens its next connection to a server that is not leaving instead of reusing this one until the
 * process exits under it. `npm start` keeps idle connections 65 s otherwise, longer than a load
 * balancer's 60 s, so the balancer never reuses a connection the server is closing.
 */
export function stopKeepingAlive() {
  dc.subscribe("http.server.request.start", (message) => {
    const { response } = message as { response: ServerResponse };
    if (!response.headersSent) response.setHeader("Connection", "close");
  });
}
