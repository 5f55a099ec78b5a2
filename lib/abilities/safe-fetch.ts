import "server-only";
import { lookup as dnsLookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { isBlockedAddress } from "./addresses";

// Outbound requests made on a bot's behalf must not reach this machine, the
// private network or cloud metadata endpoints, unless allow-listed. The check
// runs on the address actually connected to (inside DNS lookup), so DNS
// rebinding and redirects to private hosts are refused too. The refusal never
// names the address a host resolved to: a tenant must not learn the internal
// network's map from error messages.
export const REFUSED = "refused: not a public address";

export class BlockedAddressError extends Error {
  constructor() {
    super(REFUSED);
    this.name = "BlockedAddressError";
  }
}

export { isBlockedAddress };

export const MAX_REDIRECTS = 5;

/** Headers that carry the caller's identity: never sent on to another origin. */
const ALWAYS_PRIVATE = ["authorization", "cookie", "proxy-authorization", "x-signature-256"];

export type SafeFetchOptions = {
  method: string;
  headers?: Record<string, string>;
  /** Names of headers the user configured (their values are credentials): dropped on a cross-origin redirect. */
  privateHeaders?: string[];
  body?: string;
  timeoutMs: number;
  maxResponseBytes: number;
  allowHosts: string[];
  signal?: AbortSignal;
};

export type SafeFetchResult = {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
  url: string;
};

/** A request target: the origin to connect to and the path and query, sent as they are. */
export type Target = { origin: URL; path: string };

const hostOf = (url: URL) => url.hostname.toLowerCase().replace(/^\[|\]$/g, "");

function guardedLookup(allowed: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      const list = addresses as unknown as { address: string; family: number }[];
      if (!allowed && list.some((a) => isBlockedAddress(a.address)))
        return callback(new BlockedAddressError(), "", 0);
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

type Once = SafeFetchResult & { location?: string };

function once(target: Target, opts: SafeFetchOptions): Promise<Once> {
  const { origin } = target;
  const host = hostOf(origin);
  const allowed = opts.allowHosts.includes(host);
  if (isIP(host) && !allowed && isBlockedAddress(host))
    return Promise.reject(new BlockedAddressError());
  const client = origin.protocol === "https:" ? https : origin.protocol === "http:" ? http : null;
  if (!client) return Promise.reject(new Error(`Unsupported protocol ${origin.protocol}`));
  const timeoutError = () => new Error(`Request timed out after ${opts.timeoutMs} ms`);
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        protocol: origin.protocol,
        hostname: host,
        port: origin.port || undefined,
        path: target.path,
        method: opts.method,
        headers: opts.headers,
        lookup: guardedLookup(allowed),
        timeout: opts.timeoutMs,
        signal: opts.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        res.on("data", (chunk: Buffer) => {
          if (size >= opts.maxResponseBytes) {
            truncated = true;
            res.destroy();
            return;
          }
          const room = opts.maxResponseBytes - size;
          if (chunk.length > room) truncated = true;
          chunks.push(chunk.subarray(0, room));
          size += Math.min(chunk.length, room);
        });
        const finish = () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: Object.fromEntries(
              Object.entries(res.headers).map(([k, v]) => [
                k,
                Array.isArray(v) ? v.join(", ") : String(v ?? ""),
              ]),
            ),
            body: Buffer.concat(chunks).toString("utf8"),
            truncated,
            url: `${origin.origin}${target.path}`,
            location: res.headers.location,
          });
        res.on("end", finish);
        res.on("close", finish);
        res.on("error", reject);
      },
    );
    const timer = setTimeout(() => req.destroy(timeoutError()), opts.timeoutMs);
    req.on("timeout", () => req.destroy(timeoutError()));
    req.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.on("close", () => clearTimeout(timer));
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

type Hop = { target: Target; method: string; body?: string; headers: Record<string, string> };

/**
 * Where a redirect leads and what goes along: never https -> http; 303 (and a
 * POST's 301/302) becomes a GET without body; to another origin the caller's
 * credentials stay behind (Authorization, Cookie, the signature and every
 * configured header) and a body is never re-sent.
 */
export function followRedirect(
  from: Hop,
  status: number,
  location: string,
  privateHeaders: string[] = [],
): Hop {
  const next = new URL(location, `${from.target.origin.origin}${from.target.path}`);
  if (from.target.origin.protocol === "https:" && next.protocol !== "https:")
    throw new Error("Refused a redirect from https to an insecure address");
  if (next.protocol !== "https:" && next.protocol !== "http:")
    throw new Error(`Refused a redirect to ${next.protocol} (only http and https)`);
  let { method, body, headers } = from;
  if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
    method = "GET";
    body = undefined;
    headers = Object.fromEntries(
      Object.entries(headers).filter(([name]) => name.toLowerCase() !== "content-type"),
    );
  }
  if (next.origin !== from.target.origin.origin) {
    if (body !== undefined)
      throw new Error("Refused to re-send the request body to another origin on a redirect");
    const drop = new Set([...ALWAYS_PRIVATE, ...privateHeaders].map((h) => h.toLowerCase()));
    headers = Object.fromEntries(
      Object.entries(headers).filter(([name]) => !drop.has(name.toLowerCase())),
    );
  }
  return { target: { origin: new URL(next.origin), path: pathOf(next) }, method, body, headers };
}

/**
 * HTTP(S) with private-address refusal, at most MAX_REDIRECTS redirects (each
 * re-checked as above), a timeout and a size cap.
 */
export async function safeFetch(
  start: Target | string,
  opts: SafeFetchOptions,
): Promise<SafeFetchResult> {
  const target: Target =
    typeof start === "string"
      ? { origin: new URL(new URL(start).origin), path: pathOf(new URL(start)) }
      : start;
  let hop: Hop = { target, method: opts.method, body: opts.body, headers: { ...opts.headers } };
  for (let n = 0; ; n++) {
    const res = await once(hop.target, { ...opts, ...hop });
    if (!res.location || res.status < 300 || res.status >= 400) return res;
    if (n >= MAX_REDIRECTS) throw new Error(`Too many redirects (more than ${MAX_REDIRECTS})`);
    hop = followRedirect(hop, res.status, res.location, opts.privateHeaders);
  }
}

const pathOf = (url: URL) => `${url.pathname}${url.search}`;

export type GuardedFetchOptions = {
  allowHosts: string[];
  /** A response larger than this fails (its stream errors). */
  maxResponseBytes: number;
  /** How long the connection may stay silent. */
  idleTimeoutMs: number;
};

/**
 * A `fetch` for clients that need streamed responses (the MCP SDK's transports): every request
 * through the same private-address refusal as safeFetch, at the connected address; redirects are
 * never followed here (the response is returned as it is, for the caller's own policy, the MCP
 * SDK's being same-origin only); a response beyond `maxResponseBytes` or a connection silent for
 * `idleTimeoutMs` fails.
 */
export function guardedFetch(opts: GuardedFetchOptions) {
  // its own connection pools: every pooled connection was made through the guarded lookup of
  // this fetch (a shared pool could hand it one another caller made); close() ends them
  const agents = {
    "http:": new http.Agent({ keepAlive: true, maxSockets: 4 }),
    "https:": new https.Agent({ keepAlive: true, maxSockets: 4 }),
  };
  const fetch = (input: string | URL, init: RequestInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(String(input));
      } catch {
        return reject(new Error("Invalid URL"));
      }
      const host = hostOf(url);
      const allowed = opts.allowHosts.includes(host);
      if (isIP(host) && !allowed && isBlockedAddress(host))
        return reject(new BlockedAddressError());
      const client = url.protocol === "https:" ? https : url.protocol === "http:" ? http : null;
      if (!client) return reject(new Error(`Unsupported protocol ${url.protocol}`));
      if (init.body !== undefined && init.body !== null && typeof init.body !== "string")
        return reject(new Error("Only text request bodies are sent"));
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((v, k) => (headers[k] = v));
      const req = client.request(
        {
          protocol: url.protocol,
          hostname: host,
          port: url.port || undefined,
          path: pathOf(url),
          method: init.method ?? "GET",
          headers,
          lookup: guardedLookup(allowed),
          agent: agents[url.protocol as "http:" | "https:"],
          timeout: opts.idleTimeoutMs,
          signal: init.signal ?? undefined,
        },
        (res) => {
          const status = res.statusCode ?? 502;
          const responseHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (v === undefined) continue;
            for (const one of Array.isArray(v) ? v : [v]) responseHeaders.append(k, one);
          }
          let size = 0;
          let done = false;
          const body = new ReadableStream<Uint8Array>({
            start(controller) {
              const fail = (e: Error) => {
                if (done) return;
                done = true;
                controller.error(e);
                res.destroy();
              };
              res.on("data", (chunk: Buffer) => {
                if (done) return;
                size += chunk.length;
                if (size > opts.maxResponseBytes)
                  return fail(
                    new Error(`The response is larger than ${opts.maxResponseBytes} bytes`),
                  );
                controller.enqueue(new Uint8Array(chunk));
              });
              res.on("end", () => {
                if (done) return;
                done = true;
                controller.close();
              });
              res.on("error", fail);
              res.on("close", () =>
                fail(new Error("The connection closed before the response ended")),
              );
            },
            cancel() {
              done = true;
              res.destroy();
            },
          });
          const empty =
            status === 204 || status === 205 || status === 304 || init.method === "HEAD";
          if (empty) res.resume();
          resolve(
            new Response(empty ? null : body, {
              status: status < 200 || status > 599 ? 502 : status,
              headers: responseHeaders,
            }),
          );
        },
      );
      req.on("timeout", () => req.destroy(new Error(`No answer within ${opts.idleTimeoutMs} ms`)));
      req.on("error", reject);
      if (typeof init.body === "string") req.write(init.body);
      req.end();
    });
  return Object.assign(fetch, {
    /** Ends the pooled connections (call when the client using it is done). */
    close: () => {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  });
}
