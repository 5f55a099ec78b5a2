import http from "node:http";
import https from "node:https";

// Per-address limits need the client's real address. Next.js copies the
// socket's address into X-Forwarded-For only when the client sent none, so the
// header alone is the client's to choose. At start-up (instrumentation.ts) the
// server stamps every request with the address it trusts: the socket's, or,
// behind TRUST_PROXY_HOPS reverse proxies, the one the outermost of them saw.
export const CLIENT_ADDRESS_HEADER = "x-trigdash-client-address";

/** The client's address given the socket's peer and X-Forwarded-For, trusting `hops` proxies. */
export function pickClientAddress(
  socketAddress: string,
  forwardedFor: string | string[] | undefined,
  hops: number,
): string {
  const chain = [String(forwardedFor ?? ""), socketAddress]
    .join(",")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return chain[Math.max(0, chain.length - 1 - hops)] ?? "unknown";
}

const marker = Symbol.for("trigdash.clientAddress");
type Emitting = Record<symbol, unknown> & {
  emit: (event: string | symbol, ...args: unknown[]) => boolean;
};

export function stampClientAddresses(hops: number) {
  // https.Server does not inherit from http.Server: stamp both
  for (const proto of [http.Server.prototype, https.Server.prototype] as unknown as Emitting[]) {
    if (proto[marker]) continue;
    proto[marker] = true;
    const emit = proto.emit;
    proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request") {
        const req = args[0] as http.IncomingMessage;
        req.headers[CLIENT_ADDRESS_HEADER] = pickClientAddress(
          req.socket?.remoteAddress ?? "",
          hops > 0 ? req.headers["x-forwarded-for"] : undefined,
          hops,
        );
      }
      return emit.call(this, event, ...args);
    };
  }
}

const stamping = () => Boolean((http.Server.prototype as unknown as Emitting)[marker]);

/**
 * The address stamped on the request. Where this process does not stamp
 * (a server that skipped instrumentation), the header could be the client's
 * own: then the last X-Forwarded-For hop, which Next.js sets from the socket
 * when the client sent none.
 */
export function clientAddress(headers: Headers): string {
  const stamped = stamping() ? headers.get(CLIENT_ADDRESS_HEADER) : null;
  return stamped ?? pickClientAddress("", headers.get("x-forwarded-for") ?? undefined, 0);
}
