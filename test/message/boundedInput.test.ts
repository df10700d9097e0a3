import { parseSendSmtpEmailConfig } from "../../src/config/sendSmtpEmailConfig";
import type { MessageConfig } from "../../src/config/sendSmtpEmailConfig";
import { createDeadline } from "../../src/deadline/deadline";
import { buildMailOptions } from "../../src/message/buildMailOptions";
import { MAX_CONTENT_BYTES, MAX_HTML_DEPTH } from "../../src/message/contentLimits";
import { scanHtml } from "../../src/message/htmlScan";
import { embedDataUrlImages } from "../../src/message/inlineImages";
import { htmlToPlainText } from "../../src/message/plainText";
import { errorOf, rejectionOf } from "../support/smtpEmailErrors";

const MB = 1024 * 1024;
const base = {
  to: "jane@example.com",
  subject: "Hi",
  emailService: "custom",
  host: "smtp.example.com",
  port: 465,
  security: "tls",
  authMethod: "basic",
  basicConnection: { username: "bot@example.com", password: "pw" },
};
const nested = (depth: number, tag = "div") => `${`<${tag}>`.repeat(depth)}x${`</${tag}>`.repeat(depth)}`;

describe("the content cap", () => {
  it.each([
    ["content", MAX_CONTENT_BYTES + 1],
    ["text", MAX_CONTENT_BYTES + 1],
    // Fewer characters than the cap, but more UTF-8 bytes.
    ["content", MAX_CONTENT_BYTES / 2 + 1, "é"],
  ])("refuses %s of %d characters with a configuration error naming it", (field, length, unit = "x") => {
    const error = errorOf(() => parseSendSmtpEmailConfig({ ...base, [field]: unit.repeat(length) }));
    expect(error).toMatchObject({ code: "configuration", details: { field } });
    expect(error.message).toMatch(/larger than 5 MB/);
  });

  it("accepts content of exactly the cap", () => {
    expect(parseSendSmtpEmailConfig({ ...base, content: "x".repeat(MAX_CONTENT_BYTES) }).message.html).toHaveLength(MAX_CONTENT_BYTES);
  });
});

describe("the inline-image scan on adversarial HTML (about 1 MB each)", () => {
  const png = `data:image/png;base64,${Buffer.from("89504e470d0a1a0a", "hex").toString("base64")}`;

  it.each([
    ["unterminated <img tags", "<img ".repeat(200_000)],
    ["<img src= without an end", "<img src=".repeat(110_000)],
    ["an unterminated quoted data URL", `<img src="data:image/png;base64,${"A".repeat(MB)}`],
    ["<img alt= attributes that never close", `<img alt="${"<img src=data:".repeat(70_000)}`],
    ["bare data: runs", `<p>${"<img data:".repeat(100_000)}</p>`],
  ])("leaves %s as they were", (_name, html) => {
    expect(html.length).toBeGreaterThan(900_000);
    expect(embedDataUrlImages(html)).toEqual({ html, attachments: [] });
  });

  it("rewrites every one of 30,000 images and attaches the image once", () => {
    const html = `<img src="${png}">`.repeat(30_000);
    const { html: rewritten, attachments } = embedDataUrlImages(html);
    expect(attachments).toHaveLength(1);
    expect(rewritten.split(`src="cid:${String(attachments[0]?.cid)}"`)).toHaveLength(30_001);
    expect(rewritten).not.toContain("data:");
  });

  it("finds image sources as a browser does: decoded entities, not inside comments or scripts", () => {
    const html = `<!-- <img src="${png}"> --><script>"<img src='${png}'>"</script><img alt="a>b" src="${png.replace("/", "&#47;")}">`;
    const { html: rewritten, attachments } = embedDataUrlImages(html);
    expect(attachments).toHaveLength(1);
    expect(rewritten).toBe(`<!-- <img src="${png}"> --><script>"<img src='${png}'>"</script><img alt="a>b" src="cid:${String(attachments[0]?.cid)}">`);
  });
});

describe("nesting depth", () => {
  it(`accepts ${MAX_HTML_DEPTH} levels and refuses one more, as a configuration error naming content`, () => {
    expect(scanHtml(nested(MAX_HTML_DEPTH))).toEqual([]);
    const error = errorOf(() => scanHtml(nested(MAX_HTML_DEPTH + 1)));
    expect(error).toMatchObject({ code: "configuration", details: { field: "content" } });
  });

  it("counts elements left open, not only well-formed nesting", () => {
    expect(errorOf(() => scanHtml("<span>".repeat(100_000))).details.field).toBe("content");
    // Closing tags that match nothing keep costing the parser a search of the open elements: bounded by the depth.
    expect(scanHtml(`${"<b>".repeat(MAX_HTML_DEPTH)}${"</i>".repeat(250_000)}`)).toEqual([]);
  });

  it("refuses 100,000 nested <div> before the plain-text conversion, without a stack overflow", async () => {
    const deadline = createDeadline(10_000);
    const message: MessageConfig = { to: "jane@example.com", subject: "Hi", html: nested(100_000), priority: "normal" };
    const error = await rejectionOf(buildMailOptions(message, [], { maxBytes: MB, maxTotalBytes: MB, allowPrivateNetworkUrls: false }, { deadline, defaultFrom: "bot@example.com" }));
    deadline.dispose();
    expect(error).toMatchObject({ code: "configuration", details: { field: "content" } });
  });

  it("the plain-text conversion refuses a too-deep tree itself, also when no embedding pass ran before it", async () => {
    const error = await htmlToPlainText(nested(20_000)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "configuration", details: { field: "content" } });
  });

  it("the plain-text conversion itself stops at the depth limit instead of overflowing the stack (the backstop)", async () => {
    const text = await htmlToPlainText(nested(20_000), { depthChecked: true });
    expect(text.length).toBeLessThan(100);
  });
});

describe("attachment limits in the node config", () => {
  const texts = (count: number) => JSON.stringify(Array.from({ length: count }, (_, index) => ({ type: "text", text: `t${index}` })));

  it("accepts 20 attachments and refuses 21 (the single one counts too), naming extraAttachments", () => {
    expect(parseSendSmtpEmailConfig({ ...base, extraAttachments: texts(20) }).attachments).toHaveLength(20);
    const error = errorOf(() => parseSendSmtpEmailConfig({ ...base, attachmentType: "text", attachmentText: "x", extraAttachments: texts(20) }));
    expect(error).toMatchObject({ code: "configuration", details: { field: "extraAttachments" } });
    expect(error.message).toMatch(/21 attachments, more than the 20 allowed/);
  });

  it("caps Maximum Attachment Size at 25 MB and sets the 25 MB total", () => {
    expect(parseSendSmtpEmailConfig({ ...base, maxAttachmentSizeMb: 25 }).attachmentLimits).toEqual({ maxBytes: 25 * MB, maxTotalBytes: 25 * MB, allowPrivateNetworkUrls: false });
    const error = errorOf(() => parseSendSmtpEmailConfig({ ...base, maxAttachmentSizeMb: 26 }));
    expect(error).toMatchObject({ code: "configuration", details: { field: "maxAttachmentSizeMb" } });
    expect(error.message).toMatch(/at most 25/);
  });
});
