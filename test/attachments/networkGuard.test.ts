import type dns from "node:dns";
import { BlockedAddressError, blockedAddressReason, blockedHostnameReason, createGuardedLookup } from "../../src/attachments/networkGuard";

describe("blockedAddressReason", () => {
  it.each([
    ["0.0.0.0", /this network/],
    ["0.1.2.3", /this network/],
    ["10.0.0.1", /private.*10\.0\.0\.0\/8/],
    ["10.255.255.255", /private/],
    ["100.64.0.1", /carrier-grade NAT/],
    ["100.127.255.254", /carrier-grade NAT/],
    ["127.0.0.1", /loopback/],
    ["127.255.0.9", /loopback/],
    ["169.254.169.254", /link-local.*metadata/],
    ["169.254.0.1", /link-local/],
    ["172.16.0.1", /private.*172\.16\.0\.0\/12/],
    ["172.31.255.255", /private/],
    ["192.168.1.1", /private.*192\.168/],
    ["192.0.0.8", /IETF/],
    ["198.18.0.1", /benchmarking/],
    ["224.0.0.1", /multicast/],
    ["255.255.255.255", /reserved/],
    ["::", /unspecified/],
    ["::1", /loopback/],
    ["0:0:0:0:0:0:0:1", /loopback/],
    ["fc00::1", /unique local/],
    ["fd12:3456:789a::1", /unique local/],
    ["fe80::1", /link-local/],
    ["fe80::1%eth0", /link-local/],
    ["febf::1", /link-local/],
    ["fec0::1", /site-local/],
    ["ff02::1", /multicast/],
    ["::ffff:127.0.0.1", /IPv4-mapped form of a loopback/],
    ["::ffff:7f00:1", /IPv4-mapped form of a loopback/],
    ["::ffff:169.254.169.254", /IPv4-mapped form of a link-local/],
    ["::ffff:10.1.2.3", /IPv4-mapped form of a private/],
    ["::ffff:100.64.0.1", /IPv4-mapped form of a carrier-grade/],
    ["::ffff:0.0.0.0", /IPv4-mapped form of a "this network"/],
    ["::127.0.0.1", /IPv4-compatible form of a loopback/],
    ["64:ff9b::a9fe:a9fe", /NAT64 form of a link-local/],
    ["64:ff9b:1::1", /local-use NAT64/],
    ["2002:c0a8:0101::1", /6to4 form of a private/],
    ["[::1]", /loopback/],
  ])("refuses %s", (address, reason) => {
    expect(blockedAddressReason(address)).toMatch(reason);
  });

  it.each(["93.184.216.34", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0", "169.253.255.255", "192.169.0.1", "11.0.0.1", "2606:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:0808:0808::1", "fbff::1", "fe7f::1"])(
    "lets the public address %s through",
    (address) => {
      expect(blockedAddressReason(address)).toBeUndefined();
    },
  );
});

describe("blockedHostnameReason", () => {
  it.each([
    ["localhost", /local machine/],
    ["LOCALHOST.", /local machine/],
    ["api.localhost", /local machine/],
    ["metadata.google.internal", /cloud metadata/],
    ["metadata.goog", /cloud metadata/],
    ["instance-data.ec2.internal", /internal-only/],
    ["127.0.0.1", /loopback/],
    ["[::1]", /loopback/],
    ["169.254.169.254", /link-local/],
  ])("refuses %s before any DNS query", (hostname, reason) => {
    expect(blockedHostnameReason(hostname)).toMatch(reason);
  });

  it.each(["example.com", "files.example.org", "8.8.8.8", "internal.example.com", "localhost.example.com"])("lets %s through to the lookup", (hostname) => {
    expect(blockedHostnameReason(hostname)).toBeUndefined();
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
  const guarded = createGuardedLookup(resolver);

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
