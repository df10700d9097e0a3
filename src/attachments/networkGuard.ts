import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";

/**
 * SSRF protection for attachment URLs. A flow could otherwise make Cognigy fetch internal services
 * (cloud metadata at 169.254.169.254, admin UIs on 10.x, localhost) and mail the answer out. The check
 * runs in the agents' DNS lookup, i.e. on the address the socket actually connects to, for the first
 * request and every redirect alike, so DNS tricks (a public name resolving to 127.0.0.1) do not help.
 */

/** Raised from inside the lookup; the downloader finds it in axios's error cause chain. */
export class BlockedAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string | undefined,
    readonly reason: string,
  ) {
    super(address && address !== host ? `${host} resolves to ${address} (${reason})` : `${host} is ${reason}`);
    this.name = "BlockedAddressError";
  }
}

type Range = [base: number, prefix: number, reason: string];

const IPV4_RANGES: Range[] = [
  [ipv4("0.0.0.0"), 8, 'a "this network" address (0.0.0.0/8)'],
  [ipv4("10.0.0.0"), 8, "a private address (10.0.0.0/8)"],
  [ipv4("100.64.0.0"), 10, "a carrier-grade NAT address (100.64.0.0/10)"],
  [ipv4("127.0.0.0"), 8, "a loopback address (127.0.0.0/8)"],
  [ipv4("169.254.0.0"), 16, "a link-local address (169.254.0.0/16, cloud metadata services live here)"],
  [ipv4("172.16.0.0"), 12, "a private address (172.16.0.0/12)"],
  [ipv4("192.0.0.0"), 24, "an IETF protocol address (192.0.0.0/24)"],
  [ipv4("192.168.0.0"), 16, "a private address (192.168.0.0/16)"],
  [ipv4("198.18.0.0"), 15, "a benchmarking address (198.18.0.0/15)"],
  [ipv4("224.0.0.0"), 4, "a multicast address (224.0.0.0/4)"],
  [ipv4("240.0.0.0"), 4, "a reserved address (240.0.0.0/4)"],
];

/**
 * Why an IP address must not be fetched from, or undefined for a public address. IPv6 forms that
 * embed an IPv4 address (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4
 * 2002::/16) are judged by the IPv4 address inside.
 */
export function blockedAddressReason(ip: string): string | undefined {
  const address = ip.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = net.isIP(address);
  if (family === 4) return ipv4Reason(ipv4(address));
  if (family === 6) return ipv6Reason(address);
  return "not an IP address";
}

function ipv4Reason(value: number): string | undefined {
  for (const [base, prefix, reason] of IPV4_RANGES) {
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    if ((value & mask) >>> 0 === base) return reason;
  }
  return undefined;
}

function ipv6Reason(address: string): string | undefined {
  const words = ipv6Words(address);
  if (!words) return "not an IP address";
  const [w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0] = words;
  const embedded = ((w6 << 16) >>> 0) + w7;
  const zeroPrefix = w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0 && w4 === 0;
  if (zeroPrefix && w5 === 0 && w6 === 0 && w7 === 0) return "the unspecified address (::)";
  if (zeroPrefix && w5 === 0 && w6 === 0 && w7 === 1) return "a loopback address (::1)";
  if (zeroPrefix && w5 === 0xffff) return viaIpv4(embedded, "IPv4-mapped");
  if (zeroPrefix && w5 === 0) return viaIpv4(embedded, "IPv4-compatible");
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0) return viaIpv4(embedded, "NAT64");
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 1) return "a local-use NAT64 address (64:ff9b:1::/48)";
  if (w0 === 0x2002) return viaIpv4(((w1 << 16) >>> 0) + w2, "6to4");
  if ((w0 & 0xfe00) === 0xfc00) return "a unique local address (fc00::/7)";
  if ((w0 & 0xffc0) === 0xfe80) return "a link-local address (fe80::/10)";
  if ((w0 & 0xffc0) === 0xfec0) return "a site-local address (fec0::/10)";
  if ((w0 & 0xff00) === 0xff00) return "a multicast address (ff00::/8)";
  return undefined;
}

function viaIpv4(value: number, form: string): string | undefined {
  const reason = ipv4Reason(value);
  return reason ? `the ${form} form of ${reason}` : undefined;
}

function ipv4(address: string): number {
  return address.split(".").reduce((sum, part) => ((sum << 8) >>> 0) + Number(part), 0) >>> 0;
}

/** The eight 16-bit words of an IPv6 address (with "::" and a trailing dotted IPv4 expanded). */
function ipv6Words(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const value = ipv4(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const words = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail].map((word) => parseInt(word, 16));
  return words.length === 8 && words.every((word) => Number.isInteger(word) && word >= 0 && word <= 0xffff) ? words : undefined;
}

/**
 * Names refused before any DNS query: they are internal by definition, and refusing them by name
 * gives a clear message even where they would not resolve (e.g. metadata.google.internal off GCP).
 */
export function blockedHostnameReason(hostname: string): string | undefined {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return "the local machine";
  if (name === "metadata.google.internal" || name === "metadata.goog" || name.endsWith(".metadata.goog")) return "a cloud metadata service";
  if (name.endsWith(".internal")) return "an internal-only name (.internal)";
  if (net.isIP(name.replace(/^\[|\]$/g, ""))) return blockedAddressReason(name);
  return undefined;
}

type Resolver = (hostname: string, options: dns.LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void;

const systemResolver: Resolver = (hostname, options, callback) => dns.lookup(hostname, options, callback);

/**
 * A `lookup` for sockets: resolves like dns.lookup, then refuses the connection when the name or any
 * address it resolves to is not public. Refusing on *any* bad address (rather than picking a good one)
 * keeps the rule simple and leaves nothing to a DNS answer's ordering.
 */
export function createGuardedLookup(resolver: Resolver = systemResolver): net.LookupFunction {
  return (hostname, options, callback) => {
    const byName = blockedHostnameReason(hostname);
    if (byName) {
      callback(new BlockedAddressError(hostname, undefined, byName), "", 4);
      return;
    }
    resolver(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 4);
      for (const entry of addresses) {
        const reason = blockedAddressReason(entry.address);
        if (reason) return callback(new BlockedAddressError(hostname, entry.address, reason), "", 4);
      }
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} did not resolve`), { code: "ENOTFOUND" }), "", 4);
      if (options.all) return callback(null, addresses);
      return callback(null, first.address, first.family);
    });
  };
}

export interface FetchAgents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
  destroy(): void;
}

/**
 * Fresh agents for one download (no pooled socket outlives it), guarded unless private networks are
 * allowed. An IP literal in a URL never reaches a lookup, so callers check those with
 * blockedHostnameReason, for the first URL and every redirect target.
 */
export function createFetchAgents(allowPrivateNetworks: boolean, resolver?: Resolver): FetchAgents {
  const lookup = allowPrivateNetworks ? undefined : createGuardedLookup(resolver);
  const httpAgent = new http.Agent({ keepAlive: false, ...(lookup ? { lookup } : {}) });
  const httpsAgent = new https.Agent({ keepAlive: false, ...(lookup ? { lookup } : {}) });
  return {
    httpAgent,
    httpsAgent,
    destroy() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
