/**
 * buildMailOptions end to end: the options go through a real SMTP session (plain nodemailer to
 * smtp-server on 127.0.0.1) and the received bytes are parsed back with postal-mime.
 */
import crypto from "node:crypto";
import nodemailer from "nodemailer";
import type { AttachmentLimits, AttachmentSpec } from "../../src/config/attachmentSpecs";
import type { MessageConfig } from "../../src/config/sendSmtpEmailConfig";
import type { Deadline } from "../../src/deadline/deadline";
import { buildMailOptions } from "../../src/message/buildMailOptions";
import { requiresSmtpUtf8 } from "../../src/message/smtpUtf8";
import { sha256 } from "../support/parseMessage";
import { startSmtpTestServer } from "../support/smtpTestServer";
import { testDeadline } from "./helpers/deadline";
import { startHttpFileServer, type HttpFileServer } from "./helpers/httpFileServer";
import { startMailSink, topLevelHeaders, type MailSink } from "./helpers/mailSink";
import { describeTree, mimeTree } from "./helpers/mimeTree";
import { rejectionOf } from "../support/smtpEmailErrors";
import { trustLoopback } from "../support/trustLoopback";

const MB = 1024 * 1024;
const limits: AttachmentLimits = { maxBytes: 10 * MB, maxTotalBytes: 25 * MB, allowPrivateNetworkUrls: true };
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5e3bd7a0000000049454e44ae426082",
  "hex",
);

let sink: MailSink;
let http: HttpFileServer;
let deadline: Deadline;

beforeAll(async () => {
  [sink, http] = await Promise.all([startMailSink(), startHttpFileServer()]);
});
afterAll(async () => {
  await Promise.all([sink.close(), http.close()]);
});
beforeEach(() => {
  deadline = testDeadline();
});
afterEach(() => deadline.dispose());

const message = (overrides: Partial<MessageConfig> = {}): MessageConfig => ({
  to: "jane@example.com",
  subject: "Hello",
  html: "<p>Hello <b>Jane</b></p>",
  priority: "normal",
  ...overrides,
});

async function deliver(config: MessageConfig, attachments: AttachmentSpec[] = [], defaultFrom = "bot@example.com") {
  const options = await buildMailOptions(config, attachments, limits, { defaultFrom, deadline, attachmentSeams: trustLoopback });
  return sink.send(options);
}


describe("structure", () => {
  it("HTML only becomes multipart/alternative with a generated plain-text part", async () => {
    const { rawText, parsed } = await deliver(
      message({ html: '<h1>Order 42</h1><p>Track it <a href="https://shop.example/track/42">here</a>.</p><ul><li>Tea</li><li>Cake</li></ul>' }),
    );
    expect(describeTree(mimeTree(rawText))).toBe("multipart/alternative(text/plain,text/html)");
    expect(parsed.html).toContain("<h1>Order 42</h1>");
    expect(parsed.text).toContain("ORDER 42");
    expect(parsed.text).toContain("here [https://shop.example/track/42]");
    expect(parsed.text).toMatch(/\* Tea\n \* Cake/);
  });

  it("uses the custom plain text when given", async () => {
    const { parsed } = await deliver(message({ text: "Plain version ✓\nsecond line" }));
    expect(parsed.text?.trimEnd()).toBe("Plain version ✓\nsecond line");
  });

  it("sends a plain-text mail when there is no HTML", async () => {
    const { rawText, parsed } = await deliver(message({ html: "", text: "Only text" }));
    expect(describeTree(mimeTree(rawText))).toBe("text/plain");
    expect(parsed.text?.trimEnd()).toBe("Only text");
  });

  it("nests mixed(alternative(text, related(html, cid image)), attachment) and embeds data-URL images", async () => {
    const dataUrl = `data:image/png;base64,${PNG.toString("base64")}`;
    const { rawText, parsed } = await deliver(
      message({ html: `<p>Logo:</p><img alt="Logo" src="${dataUrl}"><p>Again:</p><img src='${dataUrl}' width=10>` }),
      [{ type: "text", origin: "Attachment", text: "notes", fileName: "notes.txt" }],
    );
    expect(describeTree(mimeTree(rawText))).toBe("multipart/mixed(multipart/alternative(text/plain,multipart/related(text/html,image/png)),text/plain)");
    // The data URL is gone from the HTML, replaced twice by one cid: reference to one inline part.
    expect(parsed.html).not.toContain("data:");
    const cids = [...(parsed.html ?? "").matchAll(/src="cid:([^"]+)"/g)].map((m) => m[1]);
    expect(cids).toHaveLength(2);
    expect(new Set(cids).size).toBe(1);
    const image = parsed.attachments.find((a) => a.mimeType === "image/png");
    expect(image).toMatchObject({ contentId: `<${cids[0]}>`, disposition: "inline", related: true, filename: "image-1.png" });
    expect(image?.sha256).toBe(sha256(PNG));
    // The alt text, not the data URL, stands in for the image in the text part.
    expect(parsed.text).toContain("Logo");
    expect(parsed.text).not.toContain("base64");
  });

  it("keeps lines within 78 characters (bodies and headers alike)", async () => {
    const { rawText } = await deliver(
      message({
        subject: "A long subject line with ünïcödé that certainly needs folding across lines, " + "x".repeat(80),
        to: [{ name: "A very long display name that also contains non-ASCII ✓ characters", address: "jane@example.com" }],
        html: `<p>${"word ".repeat(200)}</p><p>${"x".repeat(300)}</p>`,
      }),
      [{ type: "custom", origin: "Attachment", content: "y".repeat(500), contentType: "text/plain", fileName: `${"long-name-".repeat(12)}.txt` }],
    );
    const lines = rawText.split("\r\n");
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(998);
    // The one exception nodemailer makes: the legacy Content-Type name= parameter is written unfolded
    // (for clients that cannot read RFC 2231); Content-Disposition's filename*0*= is folded properly.
    const long = lines.filter((line) => line.length > 78);
    expect(long).toEqual([expect.stringMatching(/^ name=long-name-/)]);
  });
});

describe("headers", () => {
  it("writes From, To, Cc and Reply-To with display names, encoded words for non-ASCII", async () => {
    const { rawText, parsed } = await deliver(
      message({
        to: '"Doe, Jane" <jane@example.com>, Jörg Müller <joerg@example.de>',
        cc: ["cc@example.org", { name: "Zoë Ångström", address: "zoe@example.org" }],
        from: "Service Désk <desk@example.com>",
        replyTo: "Support 支持 <support@example.com>",
        subject: "Grüße aus München — 你好 👋",
      }),
    );
    expect(parsed.subject).toBe("Grüße aus München — 你好 👋");
    expect(parsed.from).toEqual({ name: "Service Désk", address: "desk@example.com" });
    expect(parsed.to).toEqual([
      { name: "Doe, Jane", address: "jane@example.com" },
      { name: "Jörg Müller", address: "joerg@example.de" },
    ]);
    expect(parsed.cc).toEqual([
      { name: "", address: "cc@example.org" },
      { name: "Zoë Ångström", address: "zoe@example.org" },
    ]);
    expect(parsed.replyTo).toEqual([{ name: "Support 支持", address: "support@example.com" }]);
    // On the wire: 7-bit headers with RFC 2047 encoded words.
    const headers = topLevelHeaders(rawText);
    expect(headers.join("\n")).toMatch(/^[\x20-\x7e\n]*$/);
    expect(headers.find((h) => h.startsWith("Subject:"))).toMatch(/=\?UTF-8\?[QB]\?/);
    expect(headers.find((h) => h.startsWith("From:"))).toMatch(/^From: =\?UTF-8\?Q\?Service_D=C3=A9sk\?= <desk@example\.com>$/);
  });

  it("sends as the authenticated user when no From is set", async () => {
    const { parsed, received } = await deliver(message(), [], "login@example.com");
    expect(parsed.from?.address).toBe("login@example.com");
    expect(received.envelope.mailFrom).toBe("login@example.com");
  });

  it("keeps BCC out of the headers but puts it into the envelope", async () => {
    const { rawText, parsed, received } = await deliver(message({ cc: "cc@example.org", bcc: "Secret Agent <hidden@example.org>, hidden2@example.org" }));
    expect(received.envelope.rcptTo).toEqual(["jane@example.com", "cc@example.org", "hidden@example.org", "hidden2@example.org"]);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.headerAll("bcc")).toEqual([]);
    expect(rawText).not.toContain("hidden");
    expect(rawText).not.toContain("Secret Agent");
  });

  it("punycodes internationalized domains in the envelope and the header", async () => {
    const { received, parsed } = await deliver(message({ to: "Jörg <joerg@bücher.de>" }));
    expect(sink.server.commands.map((c) => c.line)).toContain("RCPT TO:<joerg@xn--bcher-kva.de>");
    expect(received.envelope.smtpUtf8).toBe(false);
    expect(parsed.to?.[0]).toMatchObject({ name: "Jörg" });
  });

  it.each([
    ["high", "1 (Highest)", "High", "High"],
    ["low", "5 (Lowest)", "Low", "Low"],
  ] as const)("priority %s sets X-Priority, X-MSMail-Priority and Importance", async (priority, xPriority, msMail, importance) => {
    const { parsed } = await deliver(message({ priority }));
    expect(parsed.header("x-priority")).toBe(xPriority);
    expect(parsed.header("x-msmail-priority")).toBe(msMail);
    expect(parsed.header("importance")).toBe(importance);
  });

  it("normal priority adds no priority headers", async () => {
    const { parsed } = await deliver(message({ priority: "normal" }));
    expect(parsed.header("x-priority")).toBeUndefined();
    expect(parsed.header("x-msmail-priority")).toBeUndefined();
    expect(parsed.header("importance")).toBeUndefined();
  });

  it("turns line breaks in the subject into spaces instead of new headers", async () => {
    const { parsed } = await deliver(message({ subject: "Order 42\r\nBcc: victim@example.com\nX-Injected: yes" }));
    expect(parsed.subject).toBe("Order 42 Bcc: victim@example.com X-Injected: yes");
    expect(parsed.header("x-injected")).toBeUndefined();
    expect(parsed.headerAll("bcc")).toEqual([]);
  });
});

describe("attachments of every kind", () => {
  it("arrive with their names, types and exact bytes, extraAttachments included", async () => {
    const pdf = crypto.randomBytes(50_000);
    http.serve("/docs/Q3 report.pdf", { body: pdf, contentType: "application/pdf" });
    const binary = crypto.randomBytes(3000);
    const { parsed } = await deliver(message(), [
      { type: "url", origin: "Attachment", url: http.url("/docs/Q3%20report.pdf") },
      { type: "text", origin: "extraAttachments[0]", text: "Grüße\r\nzweite Zeile\n", fileName: "grüße.txt" },
      { type: "base64", origin: "extraAttachments[1]", base64: binary.toString("base64").replace(/(.{76})/g, "$1\n"), fileName: "blob.bin" },
      { type: "custom", origin: "extraAttachments[2]", content: "id;name\n1;Ærø\n", contentType: "text/csv", fileName: "export.csv" },
      { type: "url", origin: "extraAttachments[3]", url: `data:image/png;base64,${PNG.toString("base64")}`, fileName: "pixel.png" },
      { type: "base64", origin: "extraAttachments[4]", base64: PNG.toString("base64url") },
    ]);
    const summary = parsed.attachments.map((a) => ({ filename: a.filename, mimeType: a.mimeType, disposition: a.disposition, sha256: a.sha256 }));
    expect(summary).toEqual([
      { filename: "Q3 report.pdf", mimeType: "application/pdf", disposition: "attachment", sha256: sha256(pdf) },
      { filename: "grüße.txt", mimeType: "text/plain", disposition: "attachment", sha256: sha256(Buffer.from("Grüße\r\nzweite Zeile\n", "utf8")) },
      { filename: "blob.bin", mimeType: "application/octet-stream", disposition: "attachment", sha256: sha256(binary) },
      { filename: "export.csv", mimeType: "text/csv", disposition: "attachment", sha256: sha256(Buffer.from("id;name\n1;Ærø\n", "utf8")) },
      { filename: "pixel.png", mimeType: "image/png", disposition: "attachment", sha256: sha256(PNG) },
      { filename: "attachment.bin", mimeType: "application/octet-stream", disposition: "attachment", sha256: sha256(PNG) },
    ]);
  });

  it("a 10 MB file from a local HTTP URL arrives intact", async () => {
    const big = crypto.randomBytes(10 * MB);
    http.serve("/big/archive.zip", { body: big, chunked: true });
    const { parsed } = await deliver(message(), [{ type: "url", origin: "Attachment", url: http.url("/big/archive.zip") }]);
    const [attachment] = parsed.attachments;
    expect(attachment).toMatchObject({ filename: "archive.zip", mimeType: "application/zip", size: big.length });
    expect(attachment?.sha256).toBe(sha256(big));
  });
});

describe("bad input fails before anything is sent", () => {
  it.each<[string, Partial<MessageConfig>, AttachmentSpec[], string, string | undefined, RegExp]>([
    ["an invalid TO address", { to: "jane@example.com, bob@" }, [], "address", "to", /^Recipient TO Email Addresses \(to\): "bob@" is not a valid email address/],
    ["an invalid CC address", { cc: "bob@" }, [], "address", "cc", /^CC Email Addresses \(cc\): "bob@"/],
    ["an invalid BCC address", { bcc: ["x"] }, [], "address", "bcc", /^BCC Email Addresses \(bcc\): "x"/],
    ["two From addresses", { from: "a@example.com, b@example.com" }, [], "address", "from", /^Custom From Email Address \(from\): takes a single address/],
    ["a line break in a name", { to: [{ name: "Jane\r\nBcc: x@example.com", address: "jane@example.com" }] }, [], "address", "to", /line break/],
    ["invalid Base64", {}, [{ type: "base64", origin: "extraAttachments[1]", base64: "not base64!" }], "attachment", "extraAttachments", /^extraAttachments\[1\]: the Base64 content is invalid/],
    ["a file: URL", {}, [{ type: "url", origin: "Attachment", url: "file:///etc/passwd" }], "attachment", "attachmentUrl", /scheme "file:" are not supported/],
  ])("%s", async (_label, overrides, attachments, code, field, text) => {
    const before = sink.server.messages.length;
    const error = await rejectionOf(buildMailOptions(message(overrides), attachments, limits, { defaultFrom: "bot@example.com", deadline }));
    expect(error.code).toBe(code);
    expect(error.details.field).toBe(field);
    expect(error.message).toMatch(text);
    expect(sink.server.messages.length).toBe(before);
  });

  it("no sender at all is a configuration error", async () => {
    const error = await rejectionOf(buildMailOptions(message(), [], limits, { deadline }));
    expect(error).toMatchObject({ code: "configuration", details: { field: "from" } });
  });
});

describe("SMTPUTF8 (non-ASCII local parts)", () => {
  const utf8Message = message({ to: "jörg@example.de" });

  it("is delivered with SMTPUTF8 when the server offers it", async () => {
    const options = await buildMailOptions(utf8Message, [], limits, { defaultFrom: "bot@example.com", deadline });
    expect(requiresSmtpUtf8(options)).toBe(true);
    const strict = await startMailSink({ strictUtf8Addresses: true });
    try {
      const { received } = await strict.send(options);
      expect(received.envelope).toMatchObject({ smtpUtf8: true, rcptTo: ["jörg@example.de"] });
    } finally {
      await strict.close();
    }
  });

  it("nodemailer 10.6 does not refuse by itself when the server lacks SMTPUTF8: it sends the raw UTF-8 address", async () => {
    const options = await buildMailOptions(utf8Message, [], limits, { defaultFrom: "bot@example.com", deadline });
    const server = await startSmtpTestServer({ security: "none", smtputf8: false });
    const transport = nodemailer.createTransport({ host: server.host, port: server.port, secure: false, ignoreTLS: true });
    try {
      await expect(transport.sendMail(options)).rejects.toMatchObject({ code: "EENVELOPE", responseCode: 553 });
      // The address went out without the SMTPUTF8 keyword: only the caller's requiresSmtpUtf8 check can prevent this.
      const lines = server.commands.map((c) => c.line);
      expect(lines).toContain("MAIL FROM:<bot@example.com>");
      expect(lines).toContain("RCPT TO:<jörg@example.de>");
    } finally {
      transport.close();
      await server.close();
    }
  });
});
