import "server-only";
import dc from "node:diagnostics_channel";
import type { Server, ServerResponse } from "node:http";

/** Idle keep-alive time of a connection answered while draining (Node adds a second to it). */
const DRAINING_KEEP_ALIVE_MS = 1;

/**
 * Shutting down: every answer from now on says `Connection: close`, so a client (a load balancer)
 * opens its next connection to a server that is not leaving instead of reusing this one until the
 * process exits under it. A request already running at the signal was promised keep-alive: once
 * answered, its connection closes within a second, not the 65 s `npm start` keeps idle connections
 * for a load balancer (Next.js's close waits for every connection before the process exits).
 */
export function stopKeepingAlive() {
  dc.subscribe("http.server.request.start", (message) => {
    const { response } = message as { response: ServerResponse };
    if (!response.headersSent) response.setHeader("Connection", "close");
  });
  dc.subscribe("http.server.response.finish", (message) => {
    // published before Node arms the finished connection's idle timer with this value
    (message as { server: Server }).server.keepAliveTimeout = DRAINING_KEEP_ALIVE_MS;
  });
}
