import { redactValue } from "../../src/result/redactSecrets";

describe("redactValue", () => {
  const secrets = ["s3cret-value", undefined, "abc"];

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

  it("ignores values too short to be secrets", () => {
    expect(redactValue({ text: "abc abc" }, secrets)).toEqual({ text: "abc abc" });
  });
});
