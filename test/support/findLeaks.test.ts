import { findLeaks } from "./findLeaks";

const SECRET = 's3cret "Pa55" +&/~';
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const form = (text: string) => new URLSearchParams({ v: text }).toString().slice(2);

describe("the secret scan decodes before it searches", () => {
  it.each<[string, string]>([
    ["as it is", SECRET],
    ["JSON-escaped in a JSON transcript", JSON.stringify({ log: `pw ${SECRET}` })],
    ["JSON-escaped twice", JSON.stringify(JSON.stringify({ log: SECRET }))],
    ["percent-encoded", encodeURIComponent(SECRET)],
    ["percent-encoded, lower-case hex", encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())],
    ["form-encoded", `client_secret=${form(SECRET)}&x=1`],
    ["Base64", b64(SECRET)],
    ["Base64url", Buffer.from(SECRET).toString("base64url")],
    ["inside an AUTH PLAIN payload", `535 AUTH PLAIN ${b64(`\u0000user@example.com\u0000${SECRET}`)}`],
    ["inside an XOAUTH2 string", b64(`user=u@example.com\u0001auth=Bearer ${SECRET}\u0001\u0001`)],
    ["in an HTTP Basic header, form-encoded inside Base64, inside JSON", JSON.stringify({ m: `Basic ${b64(`app:${form(SECRET)}`)}` })],
    ["in a Base64 blob quoted from the middle", b64(`prefix${SECRET}suffix`).slice(5)],
    ["in a Base64 blob glued to other text", `AUTH${b64(`x${SECRET}`)}`],
  ])("finds a secret %s", (_how, transcript) => {
    expect(findLeaks([transcript], [SECRET, "unrelated-secret"])).toEqual([SECRET]);
  });

  it("finds nothing in redacted or unrelated text", () => {
    expect(findLeaks([JSON.stringify({ log: "535 AUTH PLAIN [redacted]" }), b64("something else entirely")], [SECRET])).toEqual([]);
  });
});
