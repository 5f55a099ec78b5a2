import http from "node:http";

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

export function stampClientAddresses(hops: number) {
  const proto = http.Server.prototype as unknown as Record<symbol, unknown> & {
    emit: (event: string | symbol, ...args: unknown[]) => boolean;
  };
  if (proto[marker]) return;
  proto[marker] = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
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

/** The address stamped on the request (or, where nothing stamped it, the last X-Forwarded-For hop). */
export function clientAddress(headers: Headers): string {
  return (
    headers.get(CLIENT_ADDRESS_HEADER) ??
    pickClientAddress("", headers.get("x-forwarded-for") ?? undefined, 0)
  );
}
