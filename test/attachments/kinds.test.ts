import type Mail from "nodemailer/lib/mailer";
import { ByteBudget, prepareAttachment } from "../../src/attachments";
import { buildMimePart } from "../../src/attachments/mimePart";
import type { AttachmentSpec } from "../../src/config/attachmentSpecs";
import { createDeadline } from "../../src/deadline/deadline";
import { rejectionOf } from "../support/smtpEmailErrors";

const deadline = createDeadline(10_000);
afterAll(() => deadline.dispose());

const prepare = (spec: AttachmentSpec): Promise<Mail.Attachment> => prepareAttachment(spec, { limits: { maxBytes: 1024 * 1024, maxTotalBytes: 25 * 1024 * 1024, allowPrivateNetworkUrls: false }, deadline, budget: new ByteBudget(25 * 1024 * 1024) });


describe("text attachments", () => {
  it("attach the text as UTF-8 bytes, attachment.txt by default", async () => {
    expect(await prepare({ type: "text", origin: "Attachment", text: "Grüße ✓" })).toEqual({
      filename: "attachment.txt",
      content: Buffer.from("Grüße ✓", "utf8"),
      contentType: "text/plain; charset=utf-8",
    });
    expect((await prepare({ type: "text", origin: "Attachment", text: "", fileName: " notes\r\n.txt " })).filename).toBe("notes .txt");
  });
});

describe("base64 attachments", () => {
  const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

  it("decode to the exact bytes with type from contentType, file name or octet-stream", async () => {
    expect(await prepare({ type: "base64", origin: "Attachment", base64: png.toString("base64"), fileName: "logo.png" })).toEqual({
      filename: "logo.png",
      content: png,
      contentType: "image/png",
    });
    expect(await prepare({ type: "base64", origin: "Attachment", base64: png.toString("base64"), contentType: "application/pdf" })).toMatchObject({
      filename: "attachment.pdf",
      contentType: "application/pdf",
    });
    expect(await prepare({ type: "base64", origin: "Attachment", base64: png.toString("base64") })).toMatchObject({
      filename: "attachment.bin",
      contentType: "application/octet-stream",
    });
  });

  it("accept a pasted data URL and take its type", async () => {
    expect(await prepare({ type: "base64", origin: "Attachment", base64: `data:image/png;base64,${png.toString("base64")}` })).toEqual({
      filename: "attachment.png",
      content: png,
      contentType: "image/png",
    });
  });

  it("refuse invalid Base64 instead of attaching a corrupt file", async () => {
    const error = await rejectionOf(prepare({ type: "base64", origin: "extraAttachments[2]", base64: "iVBORw0K GgoA*AAA" }));
    expect(error.code).toBe("attachment");
    expect(error.details.field).toBe("extraAttachments");
    expect(error.message).toBe(
      'extraAttachments[2]: the Base64 content is invalid: the character "*" at position 14 is not part of the Base64 alphabet. Nothing was attached, to avoid sending a corrupt file.',
    );
    const single = await rejectionOf(prepare({ type: "base64", origin: "Attachment", base64: "iVBORw0KG" }));
    expect(single.details.field).toBe("attachmentBase64");
    expect(single.message).toMatch(/^Attachment: the Base64 content is invalid: its length does not fit Base64/);
  });

  it("refuse an invalid content type", async () => {
    const error = await rejectionOf(prepare({ type: "base64", origin: "Attachment", base64: "AAAA", contentType: "pdf" }));
    expect(error.details.field).toBe("attachmentContentType");
    expect(error.message).toMatch(/the MIME type "pdf" is not a valid type\/subtype/);
  });
});

describe("custom attachments", () => {
  it("attach the content with the given type, adding charset=utf-8 to text types", async () => {
    expect(await prepare({ type: "custom", origin: "Attachment", content: "a;b\n1;ü", contentType: "text/csv" })).toEqual({
      filename: "attachment.csv",
      content: Buffer.from("a;b\n1;ü", "utf8"),
      contentType: "text/csv; charset=utf-8",
    });
    expect(await prepare({ type: "custom", origin: "Attachment", content: "{}", contentType: "Application/JSON", fileName: "data.json" })).toMatchObject({
      filename: "data.json",
      contentType: "application/json",
    });
    expect((await prepare({ type: "custom", origin: "Attachment", content: "x", contentType: "application/x-made-up" })).filename).toBe("attachment.bin");
  });

  it.each(["csv", "text/ csv", "text/csv\r\nBcc: x@example.com", "text/c@sv", "text/csv; charset"])("refuse the content type %j", async (contentType) => {
    const error = await rejectionOf(prepare({ type: "custom", origin: "Attachment", content: "x", contentType }));
    expect(error.code).toBe("attachment");
    expect(error.details.field).toBe("attachmentContentType");
    expect(error.message).toMatch(/^Attachment: the MIME type .* is not a valid type\/subtype\.$/);
  });
});

describe("mime attachments", () => {
  let part: Awaited<ReturnType<typeof buildMimePart>>;
  beforeAll(async () => {
    part = await buildMimePart({
      contentType: "text/calendar; method=REQUEST",
      fileName: "invite.ics",
      content: { source: "text", text: "BEGIN:VCALENDAR\nEND:VCALENDAR\n" },
      disposition: "attachment",
      headers: {},
    });
  });

  it.each([
    ["the stored object", () => part],
    ["its JSON text", () => JSON.stringify(part)],
    ["the raw entity", () => part.raw],
    ["the raw entity with LF line endings", () => part.raw.replace(/\r\n/g, "\n")],
  ])("accept %s and use the raw entity as is", async (_label, value) => {
    const attachment = await prepare({ type: "mime", origin: "Attachment", mime: value() });
    expect(attachment).toEqual({ raw: part.raw, contentType: "text/calendar", filename: false, contentDisposition: "attachment" });
  });

  it("put a part with a Content-ID beside the HTML (cid)", async () => {
    const inline = await buildMimePart({ contentType: "image/png", content: { source: "bytes", bytes: Buffer.from([1, 2, 3]) }, disposition: "inline", contentId: "logo@example.com", headers: {} });
    expect(await prepare({ type: "mime", origin: "Attachment", mime: inline })).toMatchObject({ cid: "logo@example.com", contentDisposition: "inline" });
  });

  it.each([
    ["[object Object]", /received the text "\[object Object\]"/],
    ['{"type": "mimePart", "raw": ', /starts with "\{" but is not valid JSON/],
    [{ type: "somethingElse", raw: "Content-Type: text/plain\r\n\r\nx" }, /"type": "somethingElse", not "mimePart"/],
    [{ type: "mimePart" }, /no "raw" text/],
    [42, /expected a MIME part but got number/],
    [["a"], /expected a MIME part but got a list/],
    ["just some text", /line 1 \("just some text"\) is not a "Name: value" header|no blank line/],
    ["Content-Type: text/plain\r\nno blank line", /no blank line/],
    ["X-Thing: 1\r\n\r\nbody", /no Content-Type header/],
    ["Content-Type: text/plain\r\n\r\nGrüße", /must be 7-bit ASCII/],
    [`Content-Type: text/plain\r\n\r\n${"x".repeat(999)}`, /longer than the 998 characters/],
    ["Content-Type: text/plain\r\nBad Header Line\r\n\r\nx", /line 2 \("Bad Header Line"\) is not a "Name: value" header/],
  ])("refuse %j with a clear error", async (mime, problem) => {
    const error = await rejectionOf(prepare({ type: "mime", origin: "extraAttachments[0]", mime }));
    expect(error.code).toBe("attachment");
    expect(error.details.field).toBe("extraAttachments");
    expect(error.message).toMatch(/^extraAttachments\[0\]: /);
    expect(error.message).toMatch(problem);
  });
});
