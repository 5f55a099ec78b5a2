import { BlockList, isIP } from "node:net";

// Outbound requests made on a bot's behalf may reach global unicast addresses
// only. The lists are IANA's IPv4 and IPv6 Special-Purpose Address Registries
// (plus multicast and the cloud metadata addresses outside them); an IPv4
// address embedded in an IPv6 one (mapped, NAT64, 6to4) is judged as IPv4.
const V4_SPECIAL: [string, number][] = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // shared address space (CGNAT; Alibaba's metadata at 100.100.100.200)
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (AWS/GCP/Azure metadata at 169.254.169.254)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation (TEST-NET-1)
  ["192.31.196.0", 24], // AS112-v4
  ["192.52.193.0", 24], // AMT
  ["192.88.99.0", 24], // deprecated 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["192.175.48.0", 24], // AS112 direct delegation
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation (TEST-NET-2)
  ["203.0.113.0", 24], // documentation (TEST-NET-3)
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and 255.255.255.255 broadcast
  ["168.63.129.16", 32], // Azure's host endpoint (wireserver, metadata)
];

const V6_SPECIAL: [string, number][] = [
  ["64:ff9b:1::", 48], // local-use IPv4/IPv6 translation
  ["100::", 64], // discard-only
  ["100:0:0:1::", 64], // dummy prefix
  ["2001::", 23], // IETF protocol assignments (Teredo, ORCHIDv2, ...)
  ["2001:db8::", 32], // documentation
  ["3fff::", 20], // documentation
  ["5f00::", 16], // segment routing (SRv6) SIDs
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
];

const blocked = new BlockList();
for (const [net, prefix] of V4_SPECIAL) blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of V6_SPECIAL) blocked.addSubnet(net, prefix, "ipv6");
const globalUnicast6 = new BlockList();
globalUnicast6.addSubnet("2000::", 3, "ipv6");

const v4FromBytes = (b: number[]) => b.join(".");

/** The 16 bytes of an IPv6 literal (the URL parser writes every notation in canonical hex first). */
function v6Bytes(literal: string): number[] {
  const canonical = new URL(`http://[${literal}]/`).hostname.slice(1, -1);
  const [head, tail] = canonical.includes("::") ? canonical.split("::") : [canonical, null];
  const groups = (s: string) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const left = groups(head);
  const right = tail === null ? [] : groups(tail);
  const all = [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

/** Whether an address literal is anything but a global unicast address. */
export function isBlockedAddress(address: string): boolean {
  const literal = address.replace(/^\[|\]$/g, "");
  const family = isIP(literal);
  if (family === 4) return blocked.check(literal, "ipv4");
  if (family !== 6) return true;
  const bytes = v6Bytes(literal);
  const prefixIs = (...head: number[]) => head.every((v, i) => bytes[i] === v);
  // ::ffff:a.b.c.d (mapped) and 64:ff9b::a.b.c.d (NAT64): the last four bytes are the IPv4 address
  if (
    prefixIs(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff) ||
    prefixIs(0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0)
  )
    return isBlockedAddress(v4FromBytes(bytes.slice(12)));
  // 6to4: 2002:AABB:CCDD::/48 carries a.b.c.d in bytes 2-5
  if (prefixIs(0x20, 0x02)) return isBlockedAddress(v4FromBytes(bytes.slice(2, 6)));
  // everything outside 2000::/3 (::, ::1, IPv4-compatible ::a.b.c.d, ...) is not global unicast
  if (!globalUnicast6.check(literal, "ipv6")) return true;
  return blocked.check(literal, "ipv6");
}
