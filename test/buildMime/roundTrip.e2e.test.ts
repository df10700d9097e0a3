/**
 * Build MIME → Send: the part a Build MIME node stores is attached by a `mime` attachment in each of
 * its three accepted forms, sent through a real SMTP session and parsed back.
 */
import crypto from "node:crypto";
import type { MimePartValue } from "../../src/attachments/mimePart";
import type { AttachmentSpec } from "../../src/config/attachmentSpecs";
import type { MessageConfig } from "../../src/config/sendSmtpEmailConfig";
import type { Deadline } from "../../src/deadline/deadline";
import { runBuildMime } from "../../src/execution/runBuildMime";
import { buildMailOptions } from "../../src/message/buildMailOptions";
import { sha256 } from "../support/parseMessage";
import { testDeadline } from "../message/helpers/deadline";
import { startMailSink, type MailSink } from "../message/helpers/mailSink";
import { describeTree, mimeTree } from "../message/helpers/mimeTree";
import { recordingApi } from "../message/helpers/recordingApi";

let sink: MailSink;
let deadline: Deadline;
beforeAll(async () => {
  sink = await startMailSink();
});
afterAll(async () => {
  await sink.close();
});
beforeEach(() => {
  deadline = testDeadline();
});
afterEach(() => deadline.dispose());

async function buildPart(config: Record<string, unknown>): Promise<MimePartValue> {
  const api = recordingApi();
  await runBuildMime(api, { storeLocation: "input", inputKey: "mimePart", ...config });
  return api.stored() as MimePartValue;
}

const message = (overrides: Partial<MessageConfig> = {}): MessageConfig => ({ to: "jane@example.com", subject: "Parts", html: "<p>See attached</p>", priority: "normal", ...overrides });

async function send(attachments: AttachmentSpec[], overrides: Partial<MessageConfig> = {}) {
  const options = await buildMailOptions(message(overrides), attachments, { maxBytes: 1024 * 1024, maxTotalBytes: 25 * 1024 * 1024, allowPrivateNetworkUrls: false }, { defaultFrom: "bot@example.com", deadline });
  return sink.send(options);
}

const ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Grüße vom Team\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

describe("Build MIME → mime attachment round trip", () => {
  let textPart: MimePartValue;
  let binaryPart: MimePartValue;
  const binary = crypto.randomBytes(20_000);

  beforeAll(async () => {
    textPart = await buildPart({ contentType: "text/calendar; method=PUBLISH", fileName: "Einladung für Jörg.ics", contentSource: "text", contentText: ICS });
    binaryPart = await buildPart({ contentType: "application/pdf", fileName: "report.pdf", contentSource: "base64", contentBase64: binary.toString("base64") });
  });

  it.each([
    ["the stored object", (part: MimePartValue): unknown => part],
    ["its JSON text", (part: MimePartValue): unknown => JSON.stringify(part)],
    ["the raw entity string", (part: MimePartValue): unknown => part.raw],
  ])("as %s: arrives with its name, type and exact content", async (_label, form) => {
    const { parsed, rawText } = await send([
      { type: "mime", origin: "Attachment", mime: form(textPart) },
      { type: "mime", origin: "extraAttachments[0]", mime: form(binaryPart) },
    ]);
    expect(describeTree(mimeTree(rawText))).toBe("multipart/mixed(multipart/alternative(text/plain,text/html),text/calendar,application/pdf)");
    const [calendar, pdf] = parsed.attachments;
    expect(calendar).toMatchObject({ filename: "Einladung für Jörg.ics", mimeType: "text/calendar", disposition: "attachment" });
    // postal-mime hands text/calendar content back with LF line breaks; the wire form is checked below.
    expect(calendar?.content.toString("utf8")).toBe(ICS.replace(/\r\n/g, "\n"));
    expect(pdf).toMatchObject({ filename: "report.pdf", mimeType: "application/pdf", disposition: "attachment", size: binary.length });
    expect(pdf?.sha256).toBe(sha256(binary));
    // Spliced in byte for byte.
    expect(rawText).toContain(textPart.raw);
    expect(rawText).toContain(binaryPart.raw);
  });

  it("an inline part with a Content-ID joins the HTML in multipart/related and the cid: reference resolves", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001", "hex");
    const logo = await buildPart({ contentType: "image/png", fileName: "logo.png", contentSource: "base64", contentBase64: png.toString("base64"), disposition: "inline", contentId: "logo@example.com" });
    const { parsed, rawText } = await send([{ type: "mime", origin: "Attachment", mime: logo }], { html: '<p>Our logo:</p><img src="cid:logo@example.com">' });
    expect(describeTree(mimeTree(rawText))).toBe("multipart/alternative(text/plain,multipart/related(text/html,image/png))");
    expect(parsed.html).toContain('src="cid:logo@example.com"');
    expect(parsed.attachments[0]).toMatchObject({ contentId: "<logo@example.com>", disposition: "inline", related: true, filename: "logo.png" });
    expect(parsed.attachments[0]?.sha256).toBe(sha256(png));
  });
});
