import { createHash } from "node:crypto";
import { plainJsonText } from "../../src/config/plainJson";
import { parseSendSmtpEmailConfig } from "../../src/config/sendSmtpEmailConfig";
import { ValidatedConfigMemo } from "../../src/config/validatedConfigMemo";
import { credentialHash } from "../../src/oauth2/credentialHash";
import { errorOf } from "../support/smtpEmailErrors";

const rawConfig = (password = "memo-password-1") => ({
  emailService: "custom",
  host: "smtp.example.com",
  port: 587,
  security: "starttls",
  authMethod: "basic",
  basicConnection: { username: "bot@example.com", password },
  to: "jane@example.com",
  subject: "Hello",
  content: "<p>Hi</p>",
});

describe("plainJsonText: only plain JSON data stands for itself", () => {
  it("accepts objects, lists, strings, finite numbers, booleans and null", () => {
    expect(plainJsonText({ a: [1, "x", true, null], b: { c: 2.5 }, d: undefined }, 1000)).toBe('{"a":[1,"x",true,null],"b":{"c":2.5}}');
  });

  it.each([
    ["a Date (it would become a string)", { when: new Date(0) }],
    ["a Buffer", { data: Buffer.from("x") }],
    ["NaN (it would become null)", { port: Number.NaN }],
    ["Infinity", { port: Number.POSITIVE_INFINITY }],
    ["a function", { f: () => 1 }],
    ["undefined in a list (it would become null)", { to: ["a@example.com", undefined] }],
    ["a class instance", { x: new (class Thing {})() }],
    ["a bigint", { n: BigInt(1) }],
  ])("refuses %s", (_name, value) => {
    expect(plainJsonText(value, 1000)).toBeUndefined();
  });

  it("refuses cycles", () => {
    const value: Record<string, unknown> = {};
    value.self = value;
    expect(plainJsonText(value, 1000)).toBeUndefined();
  });

  it("refuses values whose strings exceed the limit", () => {
    expect(plainJsonText({ content: "x".repeat(101) }, 100)).toBeUndefined();
    expect(plainJsonText({ content: "x".repeat(100) }, 100)).toBeDefined();
  });
});

describe("ValidatedConfigMemo", () => {
  const counting = () => {
    let calls = 0;
    const validate = (raw: unknown) => {
      calls++;
      return { value: (raw as { value: unknown }).value, list: [1, 2] };
    };
    return { validate, calls: () => calls };
  };

  it("validates equal content once and hands out the same frozen result", () => {
    const memo = new ValidatedConfigMemo<{ value: unknown; list: number[] }>("test");
    const { validate, calls } = counting();
    const first = memo.get({ value: "a" }, validate);
    const second = memo.get({ value: "a" }, validate);
    expect(calls()).toBe(1);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.list)).toBe(true);
  });

  it("validates a copy: changing the caller's object later does not change the remembered result", () => {
    const memo = new ValidatedConfigMemo<{ nested: { value: string } }>("test");
    const raw = { nested: { value: "before" } };
    const validate = (copy: unknown) => copy as { nested: { value: string } };
    const first = memo.get(raw, validate);
    raw.nested.value = "after";
    expect(first.nested.value).toBe("before");
    expect(memo.get(raw, validate).nested.value).toBe("after");
  });

  it("remembers no failed validation: the error comes again every time", () => {
    const memo = new ValidatedConfigMemo<never>("test");
    let calls = 0;
    const validate = (): never => {
      calls++;
      throw new Error("invalid");
    };
    expect(() => memo.get({ value: 1 }, validate)).toThrow("invalid");
    expect(() => memo.get({ value: 1 }, validate)).toThrow("invalid");
    expect(calls).toBe(2);
  });

  it("validates raw configs that are not plain JSON every time, as given", () => {
    const memo = new ValidatedConfigMemo<unknown>("test");
    const raw = { when: new Date(0) };
    const seen: unknown[] = [];
    memo.get(raw, (value) => seen.push(value));
    memo.get(raw, (value) => seen.push(value));
    expect(seen).toEqual([raw, raw]);
    expect(seen[0]).toBe(raw);
  });

  it("does not keep results that are not plain data (they could be changed by whoever uses them)", () => {
    const memo = new ValidatedConfigMemo<{ bytes: Buffer }>("test");
    let calls = 0;
    const validate = () => {
      calls++;
      return { bytes: Buffer.from("x") };
    };
    memo.get({ a: 1 }, validate);
    memo.get({ a: 1 }, validate);
    expect(calls).toBe(2);
  });

  it("keeps at most 32 configs, dropping the least recently used", () => {
    const memo = new ValidatedConfigMemo<{ value: unknown; list: number[] }>("test");
    const { validate, calls } = counting();
    for (let i = 0; i < 32; i++) memo.get({ value: i }, validate);
    memo.get({ value: 0 }, validate); // used again: now the most recent
    memo.get({ value: 32 }, validate); // drops { value: 1 }
    expect(calls()).toBe(33);
    memo.get({ value: 0 }, validate);
    expect(calls()).toBe(33);
    memo.get({ value: 1 }, validate);
    expect(calls()).toBe(34);
  });
});

describe("parseSendSmtpEmailConfig with the memo", () => {
  it("returns the same validated config for equal raw configs, and a new one when a secret changes", () => {
    const first = parseSendSmtpEmailConfig(rawConfig());
    expect(parseSendSmtpEmailConfig(rawConfig())).toBe(first);
    const changed = parseSendSmtpEmailConfig(rawConfig("memo-password-2"));
    expect(changed).not.toBe(first);
    expect(changed.transport.auth).toEqual({ method: "basic", connection: { username: "bot@example.com", password: "memo-password-2" } });
  });

  it("still rejects an invalid config every time", () => {
    const invalid = { ...rawConfig(), port: 70000 };
    for (let i = 0; i < 2; i++) expect(errorOf(() => parseSendSmtpEmailConfig(invalid))).toMatchObject({ code: "configuration", details: { field: "port" } });
  });
});

describe("credentialHash", () => {
  it("is keyed: stable within the process, but not the plain SHA-256 of what it fingerprints", () => {
    const hash = credentialHash("basic", "bot@example.com", "memo-password-1");
    expect(credentialHash("basic", "bot@example.com", "memo-password-1")).toBe(hash);
    expect(credentialHash("basic", "bot@example.com", "memo-password-2")).not.toBe(hash);
    const plain = createHash("sha256").update("basic").update("\u000015:bot@example.com").update("\u000015:memo-password-1").digest("hex");
    expect(hash).not.toBe(plain);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
