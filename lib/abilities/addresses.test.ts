import { describe, expect, it } from "vitest";
import { isBlockedAddress } from "./addresses";

// One row per range of IANA's special-purpose registries (and the encodings
// that hide an IPv4 address inside IPv6): every one must be refused.
const REFUSED = [
  ["0.0.0.0", "this network"],
  ["0.1.2.3", "this network"],
  ["10.1.2.3", "private"],
  ["100.64.0.1", "CGNAT"],
  ["100.100.100.200", "Alibaba metadata (CGNAT)"],
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["169.254.169.254", "link-local metadata"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["192.0.0.9", "IETF protocol assignments"],
  ["192.0.2.1", "TEST-NET-1"],
  ["192.31.196.1", "AS112-v4"],
  ["192.52.193.1", "AMT"],
  ["192.88.99.1", "6to4 relay anycast"],
  ["192.168.1.1", "private"],
  ["192.175.48.1", "AS112 direct delegation"],
  ["198.18.0.1", "benchmarking"],
  ["198.51.100.1", "TEST-NET-2"],
  ["203.0.113.1", "TEST-NET-3"],
  ["224.0.0.1", "multicast"],
  ["240.0.0.1", "reserved"],
  ["255.255.255.255", "broadcast"],
  ["168.63.129.16", "Azure wireserver"],
  ["::", "unspecified"],
  ["::1", "loopback"],
  ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
  ["::ffff:7f00:1", "IPv4-mapped loopback, hex"],
  ["::ffff:169.254.169.254", "IPv4-mapped metadata"],
  ["::127.0.0.1", "IPv4-compatible (deprecated)"],
  ["::8.8.8.8", "IPv4-compatible, even of a public address"],
  ["64:ff9b::7f00:1", "NAT64 of loopback"],
  ["64:ff9b::a9fe:a9fe", "NAT64 of metadata"],
  ["64:ff9b:1::1", "local-use NAT64"],
  ["2002:7f00:1::", "6to4 of loopback"],
  ["2002:a9fe:a9fe::1", "6to4 of metadata"],
  ["2002:0a00:0001::1", "6to4 of 10.0.0.1"],
  ["100::1", "discard-only"],
  ["2001::1", "Teredo"],
  ["2001:2::1", "benchmarking"],
  ["2001:20::1", "ORCHIDv2"],
  ["2001:db8::1", "documentation"],
  ["3fff::1", "documentation"],
  ["5f00::1", "SRv6"],
  ["fc00::1", "unique local"],
  ["fd12:3456::1", "unique local"],
  ["fe80::1", "link-local"],
  ["fec0::1", "site-local"],
  ["ff02::1", "multicast"],
  ["4000::1", "not global unicast (outside 2000::/3)"],
  ["[::1]", "bracketed literal"],
  ["localhost", "not an address at all"],
] as const;

const ALLOWED = [
  "8.8.8.8",
  "93.184.216.34",
  "1.1.1.1",
  "2606:4700::1111",
  "2a00:1450::1",
  "64:ff9b::808:808",
  "2002:0808:0808::1",
  "::ffff:8.8.8.8",
];

describe("outbound address check", () => {
  it.each(REFUSED)("refuses %s (%s)", (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(ALLOWED)("allows the global unicast address %s", (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });
});
