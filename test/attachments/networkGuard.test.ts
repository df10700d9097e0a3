import type dns from "node:dns";
import net from "node:net";
import { BlockedAddressError, addressRefusal, classifyAddress, classifyHostname, createGuardedLookup, hostnameRefusal, type NetworkPolicy } from "../../src/attachments/networkGuard";

// Classification only: nothing here connects anywhere.
const closed: NetworkPolicy = { allowPrivateNetworks: false };
const privateAllowed: NetworkPolicy = { allowPrivateNetworks: true };

describe("classifyAddress: refused always, whatever the flow allows", () => {
  it.each([
    ["0.0.0.0", /this network/],
    ["0.1.2.3", /this network/],
    ["127.0.0.1", /loopback/],
    ["127.255.0.9", /loopback/],
    ["169.254.169.254", /link-local.*metadata/],
    ["169.254.0.1", /link-local/],
    ["100.100.100.200", /cloud metadata/],
    ["192.0.0.8", /IETF/],
    ["192.0.0.192", /IETF/],
    ["192.0.2.10", /documentation.*192\.0\.2\.0\/24/],
    ["198.51.100.7", /documentation.*198\.51\.100\.0\/24/],
    ["203.0.113.99", /documentation.*203\.0\.113\.0\/24/],
    ["198.18.0.1", /benchmarking/],
    ["198.19.255.255", /benchmarking/],
    ["192.88.99.1", /6to4 relay/],
    ["224.0.0.1", /multicast/],
    ["239.255.255.250", /multicast/],
    ["240.0.0.1", /reserved/],
    ["255.255.255.255", /broadcast/],
    ["::", /unspecified/],
    ["::1", /loopback/],
    ["0:0:0:0:0:0:0:1", /loopback/],
    ["[::1]", /loopback/],
    ["fd00:ec2::254", /cloud metadata/],
    ["fd20:ce::254", /cloud metadata/],
    ["fe80::1", /link-local/],
    ["fe80::1%eth0", /link-local/],
    ["febf::1", /link-local/],
    ["fec0::1", /site-local/],
    ["ff02::1", /multicast/],
    ["::ffff:127.0.0.1", /IPv4-mapped form of a loopback/],
    ["::ffff:7f00:1", /IPv4-mapped form of a loopback/],
    ["::ffff:169.254.169.254", /IPv4-mapped form of a link-local/],
    ["::ffff:0.0.0.0", /IPv4-mapped form of a "this network"/],
    ["::ffff:192.0.2.1", /IPv4-mapped form of a documentation/],
    ["::127.0.0.1", /not a globally routable/],
    ["::ffff:0:8.8.8.8", /not a globally routable/],
    ["64:ff9b::a9fe:a9fe", /NAT64 form of a link-local/],
    ["64:ff9b::7f00:1", /NAT64 form of a loopback/],
    ["64:ff9b:1::1", /local-use NAT64/],
    ["2002:7f00:0001::1", /6to4 form of a loopback/],
    ["2001::1", /IETF protocol address \(2001::\/23\)/],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", /2001::\/23/],
    ["2001:1ff:ffff::1", /2001::\/23/],
    ["2001:db8::1", /documentation/],
    ["3fff::1", /documentation/],
    ["100::1", /not a globally routable/],
    ["4000::1", /not a globally routable/],
    ["not-an-ip", /not an IP address/],
  ])("refuses %s", (address, reason) => {
    const found = classifyAddress(address);
    expect(found).toEqual({ kind: "refused", reason: expect.stringMatching(reason) });
    expect(addressRefusal(address, privateAllowed)).toMatch(reason);
    expect(addressRefusal(address, closed)).toMatch(reason);
  });
});

describe("classifyAddress: private ranges, opened only by the toggle", () => {
  it.each([
    ["10.0.0.1", /private.*10\.0\.0\.0\/8/],
    ["10.255.255.255", /private/],
    ["172.16.0.1", /private.*172\.16\.0\.0\/12/],
    ["172.31.255.255", /private/],
    ["192.168.1.1", /private.*192\.168/],
    ["100.64.0.1", /carrier-grade NAT/],
    ["100.127.255.254", /carrier-grade NAT/],
    ["fc00::1", /unique local/],
    ["fd12:3456:789a::1", /unique local/],
    ["::ffff:10.1.2.3", /IPv4-mapped form of a private/],
    ["::ffff:100.64.0.1", /IPv4-mapped form of a carrier-grade/],
    ["2002:c0a8:0101::1", /6to4 form of a private/],
  ])("%s is private", (address, reason) => {
    expect(classifyAddress(address)).toEqual({ kind: "private", reason: expect.stringMatching(reason) });
    expect(addressRefusal(address, closed)).toMatch(reason);
    expect(addressRefusal(address, privateAllowed)).toBeUndefined();
  });
});

describe("classifyAddress: globally routable unicast", () => {
  it.each([
    "93.184.216.34", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0", "169.253.255.255",
    "192.169.0.1", "11.0.0.1", "192.0.3.1", "198.20.0.1", "223.255.255.254",
    "2606:4700::1111", "2a00:1450:4001:80b::200e", "2001:200::1", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:0808:0808::1", "2c0f:fb50::1",
  ])("lets %s through", (address) => {
    expect(classifyAddress(address)).toEqual({ kind: "public" });
    expect(addressRefusal(address, closed)).toBeUndefined();
  });
});

describe("trusted addresses (set by code only)", () => {
  const trustedAddresses = new net.BlockList();
  trustedAddresses.addAddress("127.0.0.1", "ipv4");
  const policy: NetworkPolicy = { allowPrivateNetworks: false, trustedAddresses };

  it("open exactly the listed addresses", () => {
    expect(addressRefusal("127.0.0.1", policy)).toBeUndefined();
    expect(hostnameRefusal("127.0.0.1", policy)).toBeUndefined();
    expect(addressRefusal("127.0.0.2", policy)).toMatch(/loopback/);
    expect(addressRefusal("169.254.169.254", policy)).toMatch(/link-local/);
    expect(hostnameRefusal("localhost", policy)).toMatch(/local machine/);
  });
});

describe("classifyHostname", () => {
  it.each([
    ["localhost", /local machine/],
    ["LOCALHOST.", /local machine/],
    ["api.localhost", /local machine/],
    ["metadata.google.internal", /cloud metadata/],
    ["Metadata.Google.Internal.", /cloud metadata/],
    ["metadata.goog", /cloud metadata/],
    ["metadata", /cloud metadata/],
    ["instance-data", /cloud metadata/],
    ["instance-data.ec2.internal", /cloud metadata/],
    ["metadata.tencentyun.com", /cloud metadata/],
    ["127.0.0.1", /loopback/],
    ["[::1]", /loopback/],
    ["169.254.169.254", /link-local/],
    ["[fd00:ec2::254]", /cloud metadata/],
  ])("refuses %s before any DNS query, even with private networks allowed", (hostname, reason) => {
    expect(classifyHostname(hostname)).toEqual({ kind: "refused", reason: expect.stringMatching(reason) });
    expect(hostnameRefusal(hostname, privateAllowed)).toMatch(reason);
  });

  it.each(["files.corp.internal", "nas.local", "printer.home.arpa", "10.1.2.3", "[fd12::1]"])("treats %s as private", (hostname) => {
    expect(classifyHostname(hostname).kind).toBe("private");
    expect(hostnameRefusal(hostname, closed)).toBeDefined();
    expect(hostnameRefusal(hostname, privateAllowed)).toBeUndefined();
  });

  it.each(["example.com", "files.example.org", "8.8.8.8", "internal.example.com", "localhost.example.com", "metadata.example.com"])("lets %s through to the lookup", (hostname) => {
    expect(hostnameRefusal(hostname, closed)).toBeUndefined();
  });
});

type LookupResult = { err: NodeJS.ErrnoException | null; address: string | dns.LookupAddress[]; family?: number };

function fakeResolver(table: Record<string, dns.LookupAddress[]>) {
  const calls: string[] = [];
  const resolver = (hostname: string, _options: dns.LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => {
    calls.push(hostname);
    const entry = table[hostname];
    if (entry) callback(null, entry);
    else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []);
  };
  return { resolver, calls };
}

function lookup(fn: ReturnType<typeof createGuardedLookup>, hostname: string, options: dns.LookupOptions): Promise<LookupResult> {
  return new Promise((resolve) => fn(hostname, options, (err, address, family) => resolve({ err, address, family })));
}

describe("createGuardedLookup", () => {
  const { resolver, calls } = fakeResolver({
    "public.example": [{ address: "93.184.216.34", family: 4 }],
    "dual.example": [
      { address: "2606:4700::1111", family: 6 },
      { address: "93.184.216.34", family: 4 },
    ],
    "rebind.example": [{ address: "127.0.0.1", family: 4 }],
    "metadata.example": [{ address: "169.254.169.254", family: 4 }],
    "mixed.example": [
      { address: "93.184.216.34", family: 4 },
      { address: "10.0.0.5", family: 4 },
    ],
    "mapped.example": [{ address: "::ffff:192.168.0.10", family: 6 }],
  });
  const guarded = createGuardedLookup(closed, resolver);
  const allowingPrivate = createGuardedLookup(privateAllowed, resolver);

  it("answers like dns.lookup for public names, single and all", async () => {
    expect(await lookup(guarded, "public.example", {})).toEqual({ err: null, address: "93.184.216.34", family: 4 });
    expect(await lookup(guarded, "dual.example", { all: true })).toEqual({
      err: null,
      address: [
        { address: "2606:4700::1111", family: 6 },
        { address: "93.184.216.34", family: 4 },
      ],
      family: undefined,
    });
  });

  it.each([
    ["rebind.example", "127.0.0.1", /loopback/],
    ["metadata.example", "169.254.169.254", /link-local/],
    ["mixed.example", "10.0.0.5", /private/],
    ["mapped.example", "::ffff:192.168.0.10", /IPv4-mapped form of a private/],
  ])("refuses %s because it resolves to %s", async (hostname, address, reason) => {
    const { err } = await lookup(guarded, hostname, { all: true });
    expect(err).toBeInstanceOf(BlockedAddressError);
    expect((err as BlockedAddressError).address).toBe(address);
    expect((err as BlockedAddressError).message).toMatch(reason);
    expect((err as BlockedAddressError).message).toContain(`${hostname} resolves to ${address}`);
  });

  it("with private networks allowed, lets private answers through but refuses loopback and metadata", async () => {
    expect(await lookup(allowingPrivate, "mapped.example", {})).toEqual({ err: null, address: "::ffff:192.168.0.10", family: 6 });
    for (const [hostname, reason] of [["metadata.example", /link-local/], ["rebind.example", /loopback/]] as const) {
      const { err } = await lookup(allowingPrivate, hostname, { all: true });
      expect(err).toBeInstanceOf(BlockedAddressError);
      expect((err as BlockedAddressError).message).toMatch(reason);
    }
  });

  it("refuses internal names without asking DNS", async () => {
    const before = calls.length;
    const { err } = await lookup(guarded, "metadata.google.internal", {});
    expect(err).toBeInstanceOf(BlockedAddressError);
    expect(calls.length).toBe(before);
  });

  it("passes DNS failures on unchanged", async () => {
    const { err } = await lookup(guarded, "missing.example", {});
    expect(err?.code).toBe("ENOTFOUND");
  });
});
