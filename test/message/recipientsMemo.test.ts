import type { MessageConfig } from "../../src/config/sendSmtpEmailConfig";
import { resolveRecipients } from "../../src/message/recipients";

const message = (to: string): MessageConfig => ({ to, subject: "s", html: "<p>x</p>", priority: "normal" });

describe("resolveRecipients for remembered (frozen) configs", () => {
  it("hands every caller mailboxes of its own", () => {
    const frozen = Object.freeze(message("Jane <jane@example.com>, joe@example.com"));
    const first = resolveRecipients(frozen, "bot@example.com");
    first.to[0]!.address = "changed@example.com";
    first.to.push({ name: "", address: "extra@example.com" });
    first.from.address = "changed@example.com";
    const second = resolveRecipients(frozen, "bot@example.com");
    expect(second.to).toEqual([
      { name: "Jane", address: "jane@example.com" },
      { name: "", address: "joe@example.com" },
    ]);
    expect(second.from).toEqual({ name: "", address: "bot@example.com" });
  });

  it("does not reuse the sender of another login", () => {
    const frozen = Object.freeze(message("jane@example.com"));
    expect(resolveRecipients(frozen, "bot@example.com").from.address).toBe("bot@example.com");
    expect(resolveRecipients(frozen, "other@example.com").from.address).toBe("other@example.com");
  });

  it("parses a config that is not frozen every time, so a changed config is never answered from memory", () => {
    const open = message("jane@example.com");
    expect(resolveRecipients(open, "bot@example.com").to[0]!.address).toBe("jane@example.com");
    open.to = "joe@example.com";
    expect(resolveRecipients(open, "bot@example.com").to[0]!.address).toBe("joe@example.com");
  });
});
