import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import type { MessageConfig } from "../../src/config/sendSmtpEmailConfig";
import { createDeadline, type Deadline } from "../../src/deadline/deadline";
import { buildMailOptions, readyMailOptions } from "../../src/message/buildMailOptions";
import { messageIdDomain, messageIdentity } from "../../src/message/messageIdentity";

const LIMITS = { maxBytes: 1024 * 1024, maxTotalBytes: 1024 * 1024, allowPrivateNetworkUrls: false };
const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const message = (extra: Partial<MessageConfig> = {}): MessageConfig => ({
  to: "Jane <jane@example.com>",
  subject: "Booking",
  html: "<p>Your booking is <b>confirmed</b>.</p>",
  text: "Your booking is confirmed.",
  priority: "normal",
  ...extra,
});

let deadline: Deadline;
beforeEach(() => {
  deadline = createDeadline(5000);
});
afterEach(() => deadline.dispose());

/** What nodemailer itself makes of the options: the message as it would go out. */
async function compose(mail: Mail.Options): Promise<string> {
  const info = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail(mail);
  return (info.message as Buffer).toString("utf8");
}

describe("the Message-ID and MIME boundary of each mail", () => {
  it("are nodemailer's shapes, from the sender's domain, and what nodemailer writes", async () => {
    const mail = await buildMailOptions(message(), [], LIMITS, { defaultFrom: "bot@bookings.example", deadline });
    const { messageId, baseBoundary } = mail as Mail.Options & { baseBoundary?: string };
    expect(messageId).toMatch(/^<[0-9a-f-]{36}@bookings\.example>$/);
    expect(messageId!.slice(1, 37)).toMatch(UUID_LIKE);
    expect(baseBoundary).toMatch(/^[0-9a-f]{16}$/);
    const sent = await compose(mail);
    expect(sent).toContain(`Message-ID: ${messageId}\r\n`);
    // The composer reads baseBoundary from the mail options: no random draw of its own per MIME part.
    expect(sent).toContain(`boundary="--_NmP-${baseBoundary}-Part_1"`);
  });

  it("are new for every mail, also of the same remembered config", async () => {
    const frozen = Object.freeze(message());
    const ids = new Set<string>();
    const boundaries = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const mail = (readyMailOptions(frozen, [], "bot@example.com") ?? (await buildMailOptions(frozen, [], LIMITS, { defaultFrom: "bot@example.com", deadline }))) as Mail.Options & { baseBoundary: string };
      ids.add(mail.messageId!);
      boundaries.add(mail.baseBoundary);
    }
    expect(ids.size).toBe(50);
    expect(boundaries.size).toBe(50);
  });

  it("write an internationalized sender domain in punycode, as nodemailer would", async () => {
    expect(messageIdDomain({ name: "", address: "bot@bücher.example" })).toBe("xn--bcher-kva.example");
    expect(messageIdentity(undefined)).toEqual({ baseBoundary: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const mail = await buildMailOptions(message({ from: "bot@bücher.example" }), [], LIMITS, { deadline });
    expect(await compose(mail)).toMatch(/^Message-ID: <[^<>@]+@xn--bcher-kva\.example>\r$/m);
  });
});

describe("mail options of a remembered (frozen) message config", () => {
  it("are ready without waiting once built, the derived text included", async () => {
    const frozen = Object.freeze(message({ text: undefined }));
    expect(readyMailOptions(frozen, [], "bot@example.com")).toBeUndefined();
    const first = await buildMailOptions(frozen, [], LIMITS, { defaultFrom: "bot@example.com", deadline });
    const again = readyMailOptions(frozen, [], "bot@example.com");
    expect(again).toMatchObject({ html: first.html, text: first.text, subject: "Booking", to: [{ name: "Jane", address: "jane@example.com" }] });
    expect(first.text).toMatch(/Your booking is confirmed/);
  });

  it("hand every send objects of its own", () => {
    const frozen = Object.freeze(message());
    const first = readyMailOptions(frozen, [], "bot@example.com")!;
    (first.to as Mail.Address[])[0]!.address = "changed@example.com";
    (first.to as Mail.Address[]).push({ name: "", address: "extra@example.com" });
    (first.from as Mail.Address).address = "changed@example.com";
    (first.attachments as Mail.Attachment[]).push({ content: "x" });
    first.subject = "changed";
    const second = readyMailOptions(frozen, [], "bot@example.com")!;
    expect(second).toMatchObject({ subject: "Booking", from: { name: "", address: "bot@example.com" }, to: [{ name: "Jane", address: "jane@example.com" }], attachments: [] });
    expect(second.to).toHaveLength(1);
  });

  it("are not reused for another login, nor for a config that is not frozen", () => {
    const frozen = Object.freeze(message());
    expect(readyMailOptions(frozen, [], "bot@example.com")!.from).toEqual({ name: "", address: "bot@example.com" });
    expect(readyMailOptions(frozen, [], "other@example.com")!.from).toEqual({ name: "", address: "other@example.com" });
    const open = message();
    expect(readyMailOptions(open, [], "bot@example.com")!.to).toEqual([{ name: "Jane", address: "jane@example.com" }]);
    open.to = "joe@example.com";
    expect(readyMailOptions(open, [], "bot@example.com")!.to).toEqual([{ name: "", address: "joe@example.com" }]);
  });
});
