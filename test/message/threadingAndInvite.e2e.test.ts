/**
 * Threading headers, custom headers and calendar invites through a real SMTP session: node config as
 * Cognigy hands it over → parsed → mail options → smtp-server on 127.0.0.1 → parsed back with postal-mime.
 */
import fc from "fast-check";
import { decodeWords } from "postal-mime";
import { parseSendSmtpEmailConfig } from "../../src/config/sendSmtpEmailConfig";
import { SmtpEmailError } from "../../src/errors/SmtpEmailError";
import { buildMailOptions } from "../../src/message/buildMailOptions";
import { allHeaderNames, topLevelHeaders, type Delivered, useMailSink } from "./helpers/mailSink";
import { describeTree, mimeTree } from "./helpers/mimeTree";
import { INVITE } from "./helpers/invite";

const env = useMailSink();

const base = {
  emailService: "custom",
  host: "127.0.0.1",
  port: 2525,
  authMethod: "basic",
  basicConnection: { username: "bot@example.com", password: "pw-x" },
  to: "jane@example.com",
  subject: "Re: Your order",
  content: "<p>Hello Jane</p>",
};

/** Parses the node config and sends the mail; a configuration error is thrown before anything reaches the server. */
async function deliver(extra: Record<string, unknown>): Promise<Delivered> {
  const config = parseSendSmtpEmailConfig({ ...base, ...extra });
  return env.sink.send(await buildMailOptions(config.message, config.attachments, config.attachmentLimits, { defaultFrom: "bot@example.com", deadline: env.deadline }));
}

const header = (delivered: Delivered, name: string) =>
  topLevelHeaders(delivered.rawText)
    .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((line) => line.slice(name.length + 1).trim());

describe("threading headers", () => {
  it("arrive exactly as given, angle brackets added where missing", async () => {
    const delivered = await deliver({ inReplyTo: "CAF=x+y_z.42@mail.gmail.com", references: "<root.1@example.com> <CAF=x+y_z.42@mail.gmail.com>" });
    expect(header(delivered, "In-Reply-To")).toEqual(["<CAF=x+y_z.42@mail.gmail.com>"]);
    expect(header(delivered, "References")).toEqual(["<root.1@example.com> <CAF=x+y_z.42@mail.gmail.com>"]);
    expect(delivered.parsed.inReplyTo).toBe("<CAF=x+y_z.42@mail.gmail.com>");
    expect(delivered.parsed.references).toBe("<root.1@example.com> <CAF=x+y_z.42@mail.gmail.com>");
  });

  it("arrive exactly as given for any well-formed Message-ID", async () => {
    const atext = fc.string({ unit: fc.constantFrom(..."abcXYZ0189!#$%&'*+-/=?^_`{|}~."), minLength: 1, maxLength: 40 });
    const messageId = fc.tuple(atext, atext).map(([left, right]) => `${left}@${right}`);
    await fc.assert(
      fc.asyncProperty(messageId, fc.array(messageId, { maxLength: 5 }), fc.boolean(), async (parent, thread, brackets) => {
        const earlier = thread.filter((id) => id !== parent);
        const delivered = await deliver({ inReplyTo: brackets ? `<${parent}>` : parent, references: earlier.join(", ") });
        expect(header(delivered, "In-Reply-To")).toEqual([`<${parent}>`]);
        expect(header(delivered, "References")).toEqual([[...new Set(earlier), parent].map((id) => `<${id}>`).join(" ")]);
      }),
      { numRuns: 30 },
    );
  });

  it("References falls back to the In Reply To id", async () => {
    const delivered = await deliver({ inReplyTo: "<parent@example.com>" });
    expect(header(delivered, "In-Reply-To")).toEqual(["<parent@example.com>"]);
    expect(header(delivered, "References")).toEqual(["<parent@example.com>"]);
  });

  it("References from comma-separated text and from a list, the parent added last when missing", async () => {
    for (const references of ["<a@example.com>, b@example.com", ["a@example.com", "<b@example.com>"]]) {
      const delivered = await deliver({ inReplyTo: "parent@example.com", references });
      expect(header(delivered, "References")).toEqual(["<a@example.com> <b@example.com> <parent@example.com>"]);
    }
  });

  it("are absent when the fields are empty", async () => {
    const delivered = await deliver({ inReplyTo: "", references: "" });
    expect(header(delivered, "In-Reply-To")).toEqual([]);
    expect(header(delivered, "References")).toEqual([]);
  });

  it("thread a reply to a mail sent before: its Message-ID as In Reply To", async () => {
    const first = await deliver({ subject: "Your ticket 4711" });
    const messageId = header(first, "Message-ID")[0];
    expect(messageId).toMatch(/^<[^<>]+@[^<>]+>$/);
    const reply = await deliver({ subject: "Re: Your ticket 4711", inReplyTo: messageId });
    expect(reply.parsed.inReplyTo).toBe(messageId);
    expect(reply.parsed.references).toBe(messageId);
  });
});

describe("custom headers", () => {
  it("arrive as given, repeated for a list, non-ASCII values as encoded words", async () => {
    const delivered = await deliver({
      customHeaders: {
        "X-Ticket-Id": 4711,
        "List-Unsubscribe": "<mailto:unsubscribe@example.com?subject=unsubscribe>, <https://example.com/u/4711>",
        "X-Tag": ["billing", "urgent"],
        "X-Agent-Name": "Jörg Müller ✓ 你好",
      },
    });
    expect(delivered.parsed.header("x-ticket-id")).toBe("4711");
    // Written with the designer's spelling, not nodemailer's "X-Ticket-ID".
    expect(topLevelHeaders(delivered.rawText)).toContain("X-Ticket-Id: 4711");
    // Every other header keeps nodemailer's spelling.
    expect(topLevelHeaders(delivered.rawText).filter((line) => /^(Message-ID|MIME-Version): /.test(line))).toHaveLength(2);
    expect(delivered.parsed.header("list-unsubscribe")).toBe("<mailto:unsubscribe@example.com?subject=unsubscribe>, <https://example.com/u/4711>");
    expect(delivered.parsed.headerAll("x-tag")).toEqual(["billing", "urgent"]);
    const agent = header(delivered, "X-Agent-Name")[0] ?? "";
    expect(agent).toMatch(/^[\x20-\x7e]+$/);
    expect(agent).toMatch(/=\?UTF-8\?[QB]\?/);
    expect(decodeWords(agent)).toBe("Jörg Müller ✓ 你好");
    // The node's own headers are still there once each.
    const names = topLevelHeaders(delivered.rawText).map((line) => line.slice(0, line.indexOf(":")).toLowerCase());
    for (const own of ["from", "to", "subject", "message-id", "date", "mime-version"]) {
      expect(names.filter((name) => name === own)).toHaveLength(1);
    }
  });

  it("reserved and malformed ones are refused before anything is sent", async () => {
    const before = env.sink.server.messages.length;
    for (const headers of [{ Bcc: "spy@example.com" }, { "Content-Type": "text/plain" }, { "X-Bad Name": "1" }, { "X-A": "1\r\nBcc: spy@example.com" }]) {
      const error = await deliver({ customHeaders: headers }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SmtpEmailError);
      expect(error).toMatchObject({ code: "configuration", details: { field: "customHeaders" } });
    }
    expect(env.sink.server.messages.length).toBe(before);
  });
});

describe("header injection through the new fields is impossible", () => {
  const filler = fc.string({ unit: fc.constantFrom(..."abc XYZ:;,.<>\"'=?_-@é✓\t"), maxLength: 16 });
  const lineBreak = fc.constantFrom("\r\n", "\n", "\r", "\r\n\r\n", "\n\t");
  const injection = fc.tuple(filler, lineBreak, filler).map(([before, br, after]) => `${before}${br}X-Injected: yes${br}Bcc: spy@example.com${br}${after}`);

  it("in names and values of custom headers, In Reply To and References: refused, or sent without a new header line", async () => {
    await fc.assert(
      fc.asyncProperty(
        injection,
        fc.constantFrom("headerName", "headerValue", "headerListValue", "inReplyTo", "references", "referencesList"),
        async (text, where) => {
          const extra: Record<string, unknown> = {
            headerName: { customHeaders: { [text]: "1" } },
            headerValue: { customHeaders: { "X-Ticket-Id": text } },
            headerListValue: { customHeaders: { "X-Tag": ["ok", text] } },
            inReplyTo: { inReplyTo: `a@example.com${text}` },
            references: { references: `<a@example.com>${text}` },
            referencesList: { references: ["a@example.com", text] },
          }[where] as Record<string, unknown>;
          const before = env.sink.server.messages.length;
          let delivered: Delivered;
          try {
            delivered = await deliver(extra);
          } catch (error) {
            expect(error).toMatchObject({ code: "configuration" });
            expect(env.sink.server.messages.length).toBe(before);
            return;
          }
          const names = allHeaderNames(delivered.rawText);
          expect(names.filter((name) => name === "x-injected" || name === "bcc")).toEqual([]);
          expect(delivered.received.envelope.rcptTo).toEqual(["jane@example.com"]);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("calendar invite", () => {
  it("a REQUEST arrives as a text/calendar alternative with method=REQUEST and as an .ics attachment", async () => {
    const delivered = await deliver({ subject: "Invitation: follow-up call", calendarEvent: INVITE.replace(/\r\n/g, "\n") });
    expect(describeTree(mimeTree(delivered.rawText))).toBe(
      "multipart/mixed(multipart/alternative(text/plain,text/html,text/calendar),application/ics)",
    );
    expect(delivered.rawText).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST\r\n/);
    const alternative = delivered.parsed.attachments.find((part) => part.mimeType === "text/calendar");
    expect(alternative).toMatchObject({ method: "REQUEST" });
    const ics = delivered.parsed.attachments.find((part) => part.mimeType === "application/ics");
    expect(ics).toMatchObject({ filename: "invite.ics", disposition: "attachment" });
    const expected = INVITE.replace("BEGIN:VCALENDAR\r\n", "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n") + "\r\n";
    // postal-mime hands both back with its own line ends; on the wire the attachment keeps CRLF, as RFC 5545 wants.
    expect(alternative?.content.toString("utf8").replace(/\r?\n/g, "\r\n")).toBe(expected);
    expect(ics?.content.toString("utf8").replace(/\r?\n/g, "\r\n")).toBe(expected);
    const base64 = /Content-Type: application\/ics[^]*?\r\n\r\n([A-Za-z0-9+/=\r\n]+)/.exec(delivered.rawText)?.[1] ?? "";
    expect(Buffer.from(base64, "base64").toString("utf8")).toBe(expected);
    // The mail's own content is still there.
    expect(delivered.parsed.html).toContain("Hello Jane");
  });

  it("a CANCEL goes out with method=CANCEL, next to the other attachments", async () => {
    const cancel = INVITE.replace("VERSION:2.0", "METHOD:CANCEL\r\nVERSION:2.0").replace("SUMMARY:", "STATUS:CANCELLED\r\nSUMMARY:");
    const delivered = await deliver({
      calendarEvent: cancel,
      calendarMethod: "CANCEL",
      attachmentType: "text",
      attachmentText: "notes",
      attachmentFileName: "notes.txt",
    });
    expect(delivered.parsed.attachments.find((part) => part.mimeType === "text/calendar")).toMatchObject({ method: "CANCEL" });
    expect(delivered.parsed.attachments.map((part) => part.filename).filter(Boolean)).toEqual(["notes.txt", "invite.ics"]);
  });

  it("a text that is no VCALENDAR with a VEVENT is refused before anything is sent", async () => {
    const before = env.sink.server.messages.length;
    const error = await deliver({ calendarEvent: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR" }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "configuration", details: { field: "calendarEvent" } });
    expect(env.sink.server.messages.length).toBe(before);
  });
});
