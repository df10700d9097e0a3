/** The threading, custom header and calendar fields as the node config is parsed: what is accepted, what is refused and how. */
import { parseSendSmtpEmailConfig } from "../../src/config/sendSmtpEmailConfig";
import { MAX_CALENDAR_BYTES } from "../../src/message/calendarInvite";
import { MAX_CUSTOM_HEADERS_BYTES } from "../../src/message/customHeaders";
import { messageIdProblem } from "../../src/message/threadingHeaders";
import { errorOf } from "../support/smtpEmailErrors";
import { INVITE } from "./helpers/invite";

const base = { emailService: "custom", host: "127.0.0.1", port: 2525, authMethod: "basic", basicConnection: { username: "bot@example.com", password: "pw-x" }, to: "jane@example.com", subject: "Hello", content: "<p>Hi</p>" };
const parse = (extra: Record<string, unknown>) => parseSendSmtpEmailConfig({ ...base, ...extra }).message;
const refusal = (extra: Record<string, unknown>) => errorOf(() => parseSendSmtpEmailConfig({ ...base, ...extra }));


describe("In Reply To and References", () => {
  it("accept ids with or without angle brackets and write them with", () => {
    expect(parse({ inReplyTo: "abc.123@mail.example.com", references: "<root@example.com>" }).threading).toEqual({
      inReplyTo: "<abc.123@mail.example.com>",
      references: ["<root@example.com>", "<abc.123@mail.example.com>"],
    });
    expect(parse({ inReplyTo: " <CAF=x+y_z@mail.gmail.com> " }).threading?.inReplyTo).toBe("<CAF=x+y_z@mail.gmail.com>");
  });

  it("fall back to the In Reply To id for References", () => {
    expect(parse({ inReplyTo: "<parent@example.com>" }).threading).toEqual({ inReplyTo: "<parent@example.com>", references: ["<parent@example.com>"] });
    expect(parse({ inReplyTo: "<parent@example.com>", references: "" }).threading?.references).toEqual(["<parent@example.com>"]);
  });

  it("read References separated by spaces, commas, line breaks of a folded header, or back to back, and as a list", () => {
    const expected = ["<a@example.com>", "<b@example.com>", "<c@example.com>"];
    expect(parse({ references: "<a@example.com> <b@example.com>, c@example.com" }).threading?.references).toEqual(expected);
    expect(parse({ references: "<a@example.com>\r\n <b@example.com><c@example.com>" }).threading?.references).toEqual(expected);
    expect(parse({ references: ["a@example.com", "<b@example.com>", "c@example.com"] }).threading?.references).toEqual(expected);
  });

  it("keep References as given when it already ends the thread with the In Reply To id, without duplicates", () => {
    const { threading } = parse({ inReplyTo: "b@example.com", references: "a@example.com b@example.com a@example.com" });
    expect(threading?.references).toEqual(["<a@example.com>", "<b@example.com>"]);
  });

  it("are left out when empty", () => {
    expect(parse({ inReplyTo: "", references: null }).threading).toEqual({ inReplyTo: undefined, references: [] });
  });

  it.each([
    ["inReplyTo", "not-a-message-id", "is not a Message-ID"],
    ["inReplyTo", "a@example.com b@example.com", "must be a single Message-ID"],
    ["inReplyTo", "<a@example.com>\r\nBcc: evil@example.com", "must be a single Message-ID"],
    ["inReplyTo", "ä@example.com", "ASCII"],
    ["references", "<a@example.com> broken", "is not a Message-ID"],
    ["references", ["a@example.com", 42], "must be Message-IDs as text"],
    ["references", "a@example.com\nBcc: evil@example.com", "is not a Message-ID"],
    ["references", Array.from({ length: 101 }, (_, i) => `id${i}@example.com`), "at most 100"],
  ])("refuse %s = %j as a configuration error naming the field", (field, value, reason) => {
    const error = refusal({ [field]: value });
    expect(error.code).toBe("configuration");
    expect(error.details.field).toBe(field);
    expect(error.message).toContain(reason);
  });

  it("check Message-IDs by their syntax", () => {
    expect(messageIdProblem("a.b-c+d=e@host.example")).toBeUndefined();
    expect(messageIdProblem("id@[127.0.0.1]")).toBeUndefined();
    expect(messageIdProblem("no-at-sign")).toBeDefined();
    expect(messageIdProblem("a@b@c")).toBeDefined();
    expect(messageIdProblem("a b@c")).toBeDefined();
    expect(messageIdProblem(`${"x".repeat(500)}@c`)).toContain("longer");
  });
});

describe("Custom Headers", () => {
  it("accept names to text, numbers, lists for repeated headers, and skip empty values", () => {
    expect(parse({ customHeaders: { "X-Ticket-Id": 4711, "X-Tag": ["a", "b"], "X-Empty": "", "X-Null": null, "List-Unsubscribe": "<mailto:u@example.com>" } }).customHeaders).toEqual([
      { key: "X-Ticket-Id", value: "4711" },
      { key: "X-Tag", value: "a" },
      { key: "X-Tag", value: "b" },
      { key: "List-Unsubscribe", value: "<mailto:u@example.com>" },
    ]);
  });

  it("accept JSON text from a CognigyScript expression", () => {
    expect(parse({ customHeaders: '{ "X-Ticket-Id": "4711" }' }).customHeaders).toEqual([{ key: "X-Ticket-Id", value: "4711" }]);
  });

  it.each([
    ["From", "Custom From Email Address (from)"],
    ["to", "Recipient TO Email Addresses (to)"],
    ["CC", "CC Email Addresses (cc)"],
    ["Bcc", "BCC Email Addresses (bcc)"],
    ["Reply-To", "Reply To Address (replyTo)"],
    ["Subject", "Email Subject (subject)"],
    ["In-Reply-To", "In Reply To (inReplyTo)"],
    ["References", "References (references)"],
    ["X-Priority", "Email Priority (priority)"],
    ["Importance", "Email Priority (priority)"],
    ["Priority", "Email Priority (priority)"],
    ["X-MSMail-Priority", "Email Priority (priority)"],
    ["Sender", "Custom From Email Address (from)"],
    ["Content-Type", "Email Content"],
    ["content-transfer-encoding", "Email Content"],
    ["MIME-Version", "the node sets it"],
    ["Message-ID", "messageId"],
    ["Date", "time of sending"],
    ["Return-Path", "receiving server"],
    ["Received", "servers"],
    ["Resent-To", "recipients"],
    ["DKIM-Signature", "signs"],
  ])("refuse %s and say to use %s instead", (name, instead) => {
    const error = refusal({ customHeaders: { [name]: "x" } });
    expect(error).toMatchObject({ code: "configuration", details: { field: "customHeaders" } });
    expect(error.message).toContain(`"${name}" cannot be set here`);
    expect(error.message).toContain(instead);
  });

  it.each([
    ["a name with a space", { "X Ticket": "1" }, "not a valid header name"],
    ["a name with a colon", { "X-Ticket:": "1" }, "not a valid header name"],
    ["a name with a line break", { "X-A\r\nBcc": "evil@example.com" }, "not a valid header name"],
    ["a non-ASCII name", { "X-Größe": "1" }, "not a valid header name"],
    ["an empty name", { "": "1" }, "not a valid header name"],
    ["a very long name", { [`X-${"a".repeat(70)}`]: "1" }, "longer than 64"],
    ["a CR LF in a value", { "X-A": "1\r\nBcc: evil@example.com" }, "line break"],
    ["a bare LF in a listed value", { "X-A": ["ok", "1\nBcc: evil@example.com"] }, "line break"],
    ["a control character", { "X-A": "a\u0000b" }, "control character"],
    ["an object value", { "X-A": { prepared: true, value: "raw" } }, "must be text"],
    ["a value too long for one line", { "X-A": "a".repeat(901) }, "longer than 900"],
  ])("refuse %s", (_what, headers, reason) => {
    const error = refusal({ customHeaders: headers });
    expect(error).toMatchObject({ code: "configuration", details: { field: "customHeaders" } });
    expect(error.message).toContain(reason);
  });

  it("refuse anything but a JSON object", () => {
    expect(refusal({ customHeaders: ["X-A", "1"] }).message).toContain("must be a JSON object");
    expect(refusal({ customHeaders: "{ not json" }).message).toContain("not valid JSON");
  });

  it("cap the whole object", () => {
    const headers = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`X-Part-${i}`, "v".repeat(700)]));
    expect(JSON.stringify(headers).length).toBeGreaterThan(MAX_CUSTOM_HEADERS_BYTES);
    expect(refusal({ customHeaders: headers }).message).toContain("keep it under 8 KB");
    const fewer = Object.fromEntries(Object.entries(headers).slice(0, 10));
    expect(parse({ customHeaders: fewer }).customHeaders).toHaveLength(10);
  });
});

describe("Calendar invite", () => {
  it("defaults to REQUEST and adds the METHOD line the text lacks, with CRLF line ends", () => {
    const { calendar } = parse({ calendarEvent: INVITE.replace(/\r\n/g, "\n") });
    expect(calendar?.method).toBe("REQUEST");
    expect(calendar?.content.startsWith("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nVERSION:2.0\r\n")).toBe(true);
    expect(calendar?.content.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(calendar?.content).not.toMatch(/[^\r]\n/);
  });

  it("keeps a METHOD line that matches Calendar Method", () => {
    const text = INVITE.replace("VERSION:2.0", "METHOD:CANCEL\r\nVERSION:2.0");
    expect(parse({ calendarEvent: text, calendarMethod: "CANCEL" }).calendar).toEqual({ method: "CANCEL", content: `${text}\r\n` });
  });

  it("refuses a METHOD line that contradicts Calendar Method, naming calendarMethod", () => {
    const error = refusal({ calendarEvent: INVITE.replace("VERSION:2.0", "METHOD:PUBLISH\r\nVERSION:2.0") });
    expect(error).toMatchObject({ code: "configuration", details: { field: "calendarMethod" } });
    expect(error.message).toContain("choose PUBLISH");
  });

  it("refuses a method it cannot send", () => {
    expect(refusal({ calendarEvent: INVITE, calendarMethod: "REPLY" }).details.field).toBe("calendarMethod");
    expect(refusal({ calendarEvent: INVITE.replace("VERSION:2.0", "METHOD:COUNTER\r\nVERSION:2.0") }).message).toContain("only REQUEST, PUBLISH, CANCEL");
  });

  it.each([
    ["plain text", "Meeting tomorrow at 10", "not valid iCalendar"],
    ["a VEVENT without its VCALENDAR", "BEGIN:VEVENT\r\nUID:1@x\r\nEND:VEVENT", "must start with BEGIN:VCALENDAR"],
    ["a calendar without events", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR", "has no event"],
    ["a calendar with only a to-do", "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:1@x\r\nEND:VTODO\r\nEND:VCALENDAR", "has no event"],
    ["an unclosed event", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1@x\r\nEND:VCALENDAR", "not valid iCalendar"],
    ["a line that is not a property", INVITE.replace("SUMMARY:", "SUMMARY "), "not valid iCalendar"],
    ["an event without UID", INVITE.replace("UID:call-4711@example.com\r\n", ""), "without a UID"],
    ["two calendars", `${INVITE}\r\n${INVITE}`, "holds 2 calendars"],
  ])("refuses %s as a configuration error naming calendarEvent", (_what, text, reason) => {
    const error = refusal({ calendarEvent: text });
    expect(error).toMatchObject({ code: "configuration", details: { field: "calendarEvent" } });
    expect(error.message).toContain(reason);
  });

  it("caps the size", () => {
    const description = `DESCRIPTION:${"x".repeat(70)}\r\n`.repeat(Math.ceil(MAX_CALENDAR_BYTES / 80) + 10);
    const error = refusal({ calendarEvent: INVITE.replace("SUMMARY:", `${description}SUMMARY:`) });
    expect(error.details.field).toBe("calendarEvent");
    expect(error.message).toContain("more than the 256 KB");
  });

  it("is absent when the field is empty", () => {
    expect(parse({ calendarEvent: "  ", calendarMethod: "" }).calendar).toBeUndefined();
  });
});
