import "server-only";
import { lookup as dnsLookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

// Outbound requests made on a bot's behalf must not reach this machine, the
// private network or cloud metadata endpoints, unless allow-listed. The check
// runs on the address actually connected to (inside DNS lookup), so DNS
// rebinding and redirects to private hosts are refused too.
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

export class BlockedAddressError extends Error {}

export function isBlockedAddress(address: string): boolean {
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged by its IPv4 part.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isBlockedAddress(mapped[1]);
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? "ipv4" : "ipv6");
}

export type SafeFetchOptions = {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxResponseBytes: number;
  allowHosts: string[];
  maxRedirects?: number;
};

export type SafeFetchResult = {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
  url: string;
};

function guardedLookup(allowed: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      const list = addresses as unknown as { address: string; family: number }[];
      const bad = !allowed && list.find((a) => isBlockedAddress(a.address));
      if (bad) {
        return callback(
          new BlockedAddressError(
            `${hostname} resolves to ${bad.address}, a private or loopback address`,
          ),
          "",
          0,
        );
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

function once(url: URL, opts: SafeFetchOptions): Promise<SafeFetchResult & { location?: string }> {
  const allowed = opts.allowHosts.includes(url.hostname.toLowerCase().replace(/^\[|\]$/g, ""));
  const literal = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(literal) && !allowed && isBlockedAddress(literal)) {
    return Promise.reject(new BlockedAddressError(`${literal} is a private or loopback address`));
  }
  const client = url.protocol === "https:" ? https : url.protocol === "http:" ? http : null;
  if (!client) return Promise.reject(new Error(`Unsupported protocol ${url.protocol}`));
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: opts.method,
        headers: opts.headers,
        lookup: guardedLookup(allowed),
        timeout: opts.timeoutMs,
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
            url: url.toString(),
            location: res.headers.location,
          });
        res.on("end", finish);
        res.on("close", finish);
        res.on("error", reject);
      },
    );
    const timer = setTimeout(
      () => req.destroy(new Error(`Request timed out after ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    req.on("timeout", () => req.destroy(new Error(`Request timed out after ${opts.timeoutMs} ms`)));
    req.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.on("close", () => clearTimeout(timer));
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** HTTP(S) with private-address refusal, manual redirects (each re-checked), a timeout and a size cap. */
export async function safeFetch(rawUrl: string, opts: SafeFetchOptions): Promise<SafeFetchResult> {
  let url = new URL(rawUrl);
  let method = opts.method;
  let body = opts.body;
  for (let hop = 0; ; hop++) {
    const res = await once(url, { ...opts, method, body });
    if (!res.location || res.status < 300 || res.status >= 400) return res;
    if (hop >= (opts.maxRedirects ?? 3)) throw new Error("Too many redirects");
    url = new URL(res.location, url);
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
      method = "GET";
      body = undefined;
    }
  }
}
