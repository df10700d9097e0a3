import { secretSetOf } from "../../src/config/secretsOf";
import type { AuthConfig } from "../../src/config/transportConfig";
import { maskBase64Runs } from "../../src/result/maskBase64Runs";
import { redactSecrets, redactValue, SecretSet } from "../../src/result/redactSecrets";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const b64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");
const USER = "bot@flow.example";
const PASSWORD = "Pa55-w0rd!";

describe("SecretSet: the forms a secret travels in", () => {
  it("redacts a configured secret of any length, also a single character", () => {
    expect(redactSecrets("pw is 7 today", ["7"])).toBe("pw is [redacted] today");
    expect(redactSecrets("a Zq9 b", ["Zq9"])).toBe("a [redacted] b");
  });

  it("redacts percent-, form- and JSON-encoded forms", () => {
    const secret = 'a b+"c"\\&é';
    const set = SecretSet.of([secret]);
    expect(set.redact(`x=${encodeURIComponent(secret)}`)).toBe("x=[redacted]");
    expect(set.redact(`x=${encodeURIComponent(secret).toLowerCase()}`)).toBe("x=[redacted]");
    expect(set.redact(`x=${new URLSearchParams({ v: secret }).toString().slice(2)}`)).toBe("x=[redacted]");
    expect(set.redact(`{"x":${JSON.stringify(secret)}}`)).toBe('{"x":"[redacted]"}');
    expect(set.redact(`{"x":"a b+\\"c\\"\\\\&\\u00e9"}`)).toBe('{"x":"[redacted]"}');
  });

  it("redacts the Base64 of a secret, also at any byte offset inside a longer blob", () => {
    const set = SecretSet.of([PASSWORD]);
    expect(set.redact(`AUTH ${b64(PASSWORD)}`)).toBe("AUTH [redacted]");
    expect(set.redact(`AUTH ${b64url(PASSWORD)}`)).toBe("AUTH [redacted]");
    for (const prefix of ["", "x", "xy", "xyz", "some longer prefix"]) {
      for (const suffix of ["", "!", "!?", "!?#"]) {
        const blob = b64(`${prefix}${PASSWORD}${suffix}`);
        const redacted = set.redact(blob);
        expect(redacted).toContain("[redacted]");
        // What is left of the blob no longer decodes to the password.
        for (const part of redacted.split("[redacted]")) expect(Buffer.from(part, "base64").toString("latin1")).not.toContain(PASSWORD);
      }
    }
  });

  it("redacts AUTH PLAIN payloads, with and without authorization identity, even for a short password", () => {
    const set = new SecretSet({ user: USER }).add("Zq9", "password");
    expect(set.redact(`535 ${b64(`\u0000${USER}\u0000Zq9`)}`)).toBe("535 [redacted]");
    expect(set.redact(`535 ${b64(`${USER}\u0000${USER}\u0000Zq9`)}`)).toBe("535 [redacted]");
    // LOGIN: the username alone is not secret.
    expect(set.redact(`334 ${b64(USER)}`)).toBe(`334 ${b64(USER)}`);
  });

  it("redacts the XOAUTH2 string of a token", () => {
    const set = new SecretSet({ user: USER }).add("tok", "accessToken");
    expect(set.redact(b64(`user=${USER}\u0001auth=Bearer tok\u0001\u0001`))).toBe("[redacted]");
  });

  it("redacts HTTP Basic id:secret, raw and with form-encoded halves", () => {
    const set = new SecretSet({ clientId: "my app" }).add("s~e c", "clientSecret");
    expect(set.redact(`Basic ${b64("my app:s~e c")}`)).toBe("Basic [redacted]");
    expect(set.redact(`Basic ${b64("my+app:s%7Ee+c")}`)).toBe("Basic [redacted]");
  });

  it("adds a token obtained at run time", () => {
    const set = new SecretSet({ user: USER });
    expect(set.redact("tok-123")).toBe("tok-123");
    set.add("tok-123", "accessToken");
    expect(set.redact("tok-123")).toBe("[redacted]");
  });

  it("merges overlapping matches into one marker and leaves other text alone", () => {
    const set = SecretSet.of(["abcabc", "cab"]);
    expect(set.redact("xx abcabcab yy")).toBe("xx [redacted] yy");
    expect(set.redact("nothing")).toBe("nothing");
    expect(redactValue({ a: ["abcabc", 1, null], b: { c: "cab" } }, set)).toEqual({ a: ["[redacted]", 1, null], b: { c: "[redacted]" } });
  });
});

describe("maskBase64Runs", () => {
  it("replaces long Base64-looking runs", () => {
    expect(maskBase64Runs(`535 rejected ${b64("\u0000someone\u0000anything at all")}`)).toBe("535 rejected [redacted]");
    expect(maskBase64Runs("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0 end")).toBe("token [redacted].[redacted] end");
  });

  it("keeps words, codes and short runs", () => {
    const reply = "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled AADSTS7000215 Username_and_Password_not_accepted";
    expect(maskBase64Runs(reply)).toBe(reply);
  });
});

describe("secretSetOf", () => {
  it("gives each send its own copy: a token one send adds stays out of the next send's set", () => {
    const auth: AuthConfig = { method: "basic", connection: { username: USER, password: PASSWORD } };
    const first = secretSetOf(auth);
    first.add("tok-of-first-send", "accessToken");
    const second = secretSetOf(auth);
    expect(first.redact("tok-of-first-send")).toBe("[redacted]");
    expect(second.redact("tok-of-first-send")).toBe("tok-of-first-send");
    expect(second.redact(Buffer.from(`\u0000${USER}\u0000${PASSWORD}`).toString("base64"))).toBe("[redacted]");
  });
});

describe("redactValue: copies only when it must", () => {
  const secrets = ["s3cret-value", undefined];

  it("replaces a secret found anywhere inside, however deep, and leaves the input untouched", () => {
    const value = { success: false, error: { message: "server said s3cret-value", list: ["ok", { deep: "x s3cret-value y" }] } };
    const redacted = redactValue(value, secrets);
    expect(redacted).toEqual({ success: false, error: { message: "server said [redacted]", list: ["ok", { deep: "x [redacted] y" }] } });
    expect(value.error.message).toBe("server said s3cret-value");
  });

  it("hands back plain values without secrets as they are", () => {
    const value = { success: true, accepted: ["jane@example.com"], envelope: { from: "a@example.com", to: [] }, durationMs: 3 };
    expect(redactValue(value, secrets)).toBe(value);
  });

  it("still turns values that are not plain data into plain copies", () => {
    const value = { when: new Date(0), nested: [new Map()] };
    const redacted = redactValue(value, secrets);
    expect(redacted).not.toBe(value);
    expect(Object.getPrototypeOf(redacted.when)).toBe(Object.prototype);
  });
});
