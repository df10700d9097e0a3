import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";

/**
 * SSRF protection for attachment URLs. A flow could otherwise make Cognigy fetch internal services
 * (cloud metadata at 169.254.169.254, admin UIs on 10.x, localhost) and mail the answer out. The check
 * runs in the agents' DNS lookup, i.e. on the address the socket actually connects to, for the first
 * request and every redirect alike, so DNS tricks (a public name resolving to 127.0.0.1) do not help.
 *
 * It is an allow-list: only globally routable unicast addresses are reachable by default. Allow
 * Attachment URLs in Private Networks adds the private ranges and nothing else; loopback, link-local,
 * cloud metadata and every special-purpose range stay refused whatever the flow says.
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

/** public: always reachable; private: reachable when the flow allows private networks; refused: never. */
export type AddressClass = { kind: "public" } | { kind: "private" | "refused"; reason: string };

/** Who may be reached. Built from node config, plus what only code can add. */
export interface NetworkPolicy {
  allowPrivateNetworks: boolean;
  /**
   * Addresses reachable whatever their class. Only code sets it, never node config or the environment:
   * tests use it for their file servers on 127.0.0.1.
   */
  trustedAddresses?: net.BlockList;
}

type Rule = { family: "ipv4" | "ipv6"; network: string; prefix: number; kind: "private" | "refused"; reason: string };

/** Checked in order; the first match decides. Metadata addresses come before the private ranges they sit in. */
const RULES: Rule[] = [
  { family: "ipv4", network: "169.254.0.0", prefix: 16, kind: "refused", reason: "a link-local address (169.254.0.0/16, cloud metadata services live here)" },
  { family: "ipv4", network: "100.100.100.200", prefix: 32, kind: "refused", reason: "a cloud metadata address (100.100.100.200)" },
  { family: "ipv4", network: "0.0.0.0", prefix: 8, kind: "refused", reason: 'a "this network" address (0.0.0.0/8)' },
  { family: "ipv4", network: "127.0.0.0", prefix: 8, kind: "refused", reason: "a loopback address (127.0.0.0/8)" },
  { family: "ipv4", network: "10.0.0.0", prefix: 8, kind: "private", reason: "a private address (10.0.0.0/8)" },
  { family: "ipv4", network: "172.16.0.0", prefix: 12, kind: "private", reason: "a private address (172.16.0.0/12)" },
  { family: "ipv4", network: "192.168.0.0", prefix: 16, kind: "private", reason: "a private address (192.168.0.0/16)" },
  { family: "ipv4", network: "100.64.0.0", prefix: 10, kind: "private", reason: "a carrier-grade NAT address (100.64.0.0/10)" },
  { family: "ipv4", network: "192.0.0.0", prefix: 24, kind: "refused", reason: "an IETF protocol address (192.0.0.0/24)" },
  { family: "ipv4", network: "192.0.2.0", prefix: 24, kind: "refused", reason: "a documentation address (192.0.2.0/24)" },
  { family: "ipv4", network: "198.51.100.0", prefix: 24, kind: "refused", reason: "a documentation address (198.51.100.0/24)" },
  { family: "ipv4", network: "203.0.113.0", prefix: 24, kind: "refused", reason: "a documentation address (203.0.113.0/24)" },
  { family: "ipv4", network: "198.18.0.0", prefix: 15, kind: "refused", reason: "a benchmarking address (198.18.0.0/15)" },
  { family: "ipv4", network: "192.88.99.0", prefix: 24, kind: "refused", reason: "a deprecated 6to4 relay address (192.88.99.0/24)" },
  { family: "ipv4", network: "224.0.0.0", prefix: 4, kind: "refused", reason: "a multicast address (224.0.0.0/4)" },
  { family: "ipv4", network: "255.255.255.255", prefix: 32, kind: "refused", reason: "the broadcast address (255.255.255.255)" },
  { family: "ipv4", network: "240.0.0.0", prefix: 4, kind: "refused", reason: "a reserved address (240.0.0.0/4)" },
  { family: "ipv6", network: "fd00:ec2::", prefix: 32, kind: "refused", reason: "a cloud metadata address (fd00:ec2::/32)" },
  { family: "ipv6", network: "fd20:ce::254", prefix: 128, kind: "refused", reason: "a cloud metadata address (fd20:ce::254)" },
  { family: "ipv6", network: "fc00::", prefix: 7, kind: "private", reason: "a unique local address (fc00::/7)" },
  { family: "ipv6", network: "fe80::", prefix: 10, kind: "refused", reason: "a link-local address (fe80::/10)" },
  { family: "ipv6", network: "fec0::", prefix: 10, kind: "refused", reason: "a site-local address (fec0::/10)" },
  { family: "ipv6", network: "ff00::", prefix: 8, kind: "refused", reason: "a multicast address (ff00::/8)" },
  { family: "ipv6", network: "64:ff9b:1::", prefix: 48, kind: "refused", reason: "a local-use NAT64 address (64:ff9b:1::/48)" },
  { family: "ipv6", network: "2001::", prefix: 23, kind: "refused", reason: "an IETF protocol address (2001::/23)" },
  { family: "ipv6", network: "2001:db8::", prefix: 32, kind: "refused", reason: "a documentation address (2001:db8::/32)" },
  { family: "ipv6", network: "3fff::", prefix: 20, kind: "refused", reason: "a documentation address (3fff::/20)" },
];

const MATCHERS = RULES.map((rule) => {
  const list = new net.BlockList();
  list.addSubnet(rule.network, rule.prefix, rule.family);
  return { ...rule, list };
});

/** Global unicast: the only IPv6 space reachable by default (besides addresses embedding a public IPv4). */
const GLOBAL_UNICAST_V6 = new net.BlockList();
GLOBAL_UNICAST_V6.addSubnet("2000::", 3, "ipv6");

/**
 * What kind of address an IP is. IPv6 forms that carry an IPv4 address the packets end up at
 * (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address inside.
 */
export function classifyAddress(ip: string): AddressClass {
  const address = bare(ip);
  const family = net.isIP(address);
  if (family === 4) return classifyByRules(address, "ipv4") ?? { kind: "public" };
  if (family !== 6) return { kind: "refused", reason: "not an IP address" };
  const words = ipv6Words(address);
  if (!words) return { kind: "refused", reason: "not an IP address" };
  const embedded = embeddedIpv4(words);
  if (embedded) {
    const inner = classifyAddress(embedded.ipv4);
    return inner.kind === "public" ? inner : { kind: inner.kind, reason: `the ${embedded.form} form of ${inner.reason}` };
  }
  if (words.every((word) => word === 0)) return { kind: "refused", reason: "the unspecified address (::)" };
  if (words.slice(0, 7).every((word) => word === 0) && words[7] === 1) return { kind: "refused", reason: "a loopback address (::1)" };
  const byRule = classifyByRules(address, "ipv6");
  if (byRule) return byRule;
  if (!GLOBAL_UNICAST_V6.check(address, "ipv6")) return { kind: "refused", reason: "not a globally routable address (outside 2000::/3)" };
  return { kind: "public" };
}

function classifyByRules(address: string, family: "ipv4" | "ipv6"): AddressClass | undefined {
  const match = MATCHERS.find((rule) => rule.family === family && rule.list.check(address, family));
  return match ? { kind: match.kind, reason: match.reason } : undefined;
}

function embeddedIpv4(words: number[]): { ipv4: string; form: string } | undefined {
  const [w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0] = words;
  const dotted = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  if (w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0xffff) return { ipv4: dotted(w6, w7), form: "IPv4-mapped" };
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0) return { ipv4: dotted(w6, w7), form: "NAT64" };
  if (w0 === 0x2002) return { ipv4: dotted(w1, w2), form: "6to4" };
  return undefined;
}

/** The eight 16-bit words of an IPv6 address (with "::" and a trailing dotted IPv4 expanded). */
function ipv6Words(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[0].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
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

/** Without URL brackets and the zone (fe80::1%eth0). */
function bare(ip: string): string {
  return ip.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
}

/** Names of cloud metadata services: refused even where they would not resolve, and whatever the flow allows. */
const METADATA_NAMES = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
  "metadata.tencentyun.com",
  "metadata.platformequinix.com",
]);

/** What kind of host a URL names, judged before any DNS query; public means "let the lookup decide". */
export function classifyHostname(hostname: string): AddressClass {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (net.isIP(bare(name))) return classifyAddress(name);
  if (name === "localhost" || name.endsWith(".localhost")) return { kind: "refused", reason: "the local machine" };
  if (METADATA_NAMES.has(name) || name.endsWith(".metadata.goog")) return { kind: "refused", reason: "a cloud metadata service" };
  if (name.endsWith(".internal")) return { kind: "private", reason: "an internal-only name (.internal)" };
  if (name.endsWith(".local") || name.endsWith(".home.arpa")) return { kind: "private", reason: "a local-network name" };
  return { kind: "public" };
}

/** Why the policy refuses this address, or undefined when it may be reached. */
export function addressRefusal(ip: string, policy: NetworkPolicy): string | undefined {
  const address = bare(ip);
  if (policy.trustedAddresses && net.isIP(address) && policy.trustedAddresses.check(address, net.isIP(address) === 4 ? "ipv4" : "ipv6")) return undefined;
  return refusal(classifyAddress(address), policy);
}

/** Why the policy refuses this host name or IP literal before any DNS query, or undefined. */
export function hostnameRefusal(hostname: string, policy: NetworkPolicy): string | undefined {
  if (net.isIP(bare(hostname))) return addressRefusal(hostname, policy);
  return refusal(classifyHostname(hostname), policy);
}

function refusal(found: AddressClass, policy: NetworkPolicy): string | undefined {
  if (found.kind === "public") return undefined;
  if (found.kind === "private" && policy.allowPrivateNetworks) return undefined;
  return found.reason;
}

type Resolver = (hostname: string, options: dns.LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void;

const systemResolver: Resolver = (hostname, options, callback) => dns.lookup(hostname, options, callback);

/**
 * A `lookup` for sockets: resolves like dns.lookup, then refuses the connection when the name or any
 * address it resolves to is refused by the policy. Refusing on *any* bad address (rather than picking a
 * good one) keeps the rule simple and leaves nothing to a DNS answer's ordering.
 */
export function createGuardedLookup(policy: NetworkPolicy, resolver: Resolver = systemResolver): net.LookupFunction {
  return (hostname, options, callback) => {
    const byName = hostnameRefusal(hostname, policy);
    if (byName) {
      callback(new BlockedAddressError(hostname, undefined, byName), "", 4);
      return;
    }
    resolver(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 4);
      for (const entry of addresses) {
        const reason = addressRefusal(entry.address, policy);
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
 * Fresh, guarded agents for one download (no pooled socket outlives it). An IP literal in a URL never
 * reaches a lookup, so callers check those with hostnameRefusal, for the first URL and every redirect.
 */
export function createFetchAgents(policy: NetworkPolicy, resolver?: Resolver): FetchAgents {
  const lookup = createGuardedLookup(policy, resolver);
  const httpAgent = new http.Agent({ keepAlive: false, lookup });
  const httpsAgent = new https.Agent({ keepAlive: false, lookup });
  return {
    httpAgent,
    httpsAgent,
    destroy() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
