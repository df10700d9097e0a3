import { sanitizeSubject } from "../../src/message/headerSafety";
import { embedDataUrlImages } from "../../src/message/inlineImages";
import { htmlToPlainText } from "../../src/message/plainText";

describe("htmlToPlainText", () => {
  it("keeps links, drops images to their alt text, and renders lists and tables", async () => {
    const text = await htmlToPlainText(
      '<p>Dear <b>Jane</b>,</p><p>see <a href="https://example.com/x">our offer</a> or https://example.com: <a href="https://example.com">https://example.com</a>.</p>' +
        '<img src="data:image/png;base64,AAAA" alt="Company logo"><img src="cid:x@y">' +
        "<ul><li>one</li><li>two</li></ul><table><tr><th>Item</th><th>Qty</th></tr><tr><td>Tea</td><td>2</td></tr></table>",
    );
    expect(text).toContain("Dear Jane,");
    expect(text).toContain("our offer [https://example.com/x]");
    expect(text).not.toContain("[https://example.com]");
    expect(text).toContain("Company logo");
    expect(text).not.toMatch(/data:|base64|cid:/);
    expect(text).toMatch(/ \* one\n \* two/);
    expect(text).toMatch(/ITEM +QTY\nTea +2/);
  });

  it("wraps long paragraphs at 78 characters", async () => {
    const lines = (await htmlToPlainText(`<p>${"lorem ipsum ".repeat(40)}</p>`)).split("\n");
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(78);
  });
});

describe("embedDataUrlImages", () => {
  const png = Buffer.from("89504e470d0a1a0a", "hex");
  const pngUrl = `data:image/png;base64,${png.toString("base64")}`;

  it("replaces data-URL images (any quoting) by cid: references to inline attachments, once per image", () => {
    const jpegUrl = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff]).toString("base64")}`;
    const { html, attachments } = embedDataUrlImages(`<img src="${pngUrl}"><IMG alt='x' SRC='${pngUrl}'><img class=a src=${jpegUrl}>`);
    expect(attachments).toHaveLength(2);
    const [first, second] = attachments;
    expect(first).toMatchObject({ filename: "image-1.png", contentType: "image/png", contentDisposition: "inline", content: png });
    expect(second).toMatchObject({ filename: "image-2.jpg", contentType: "image/jpeg" });
    expect(html).toBe(`<img src="cid:${first?.cid}"><IMG alt='x' SRC="cid:${first?.cid}"><img class=a src="cid:${second?.cid}">`);
    expect(first?.cid).toMatch(/^[0-9a-f-]{36}@inline$/);
  });

  it("leaves remote images, non-image and invalid data URLs alone", () => {
    const html = '<img src="https://example.com/a.png"><img src="data:text/html;base64,PGI+"><img src="data:image/png;base64,@@@"><a href="data:image/png;base64,AAAA">x</a>';
    expect(embedDataUrlImages(html)).toEqual({ html, attachments: [] });
  });

  it("handles percent-encoded SVG data URLs", () => {
    const { html, attachments } = embedDataUrlImages('<img src="data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27/%3E">');
    expect(attachments[0]).toMatchObject({ contentType: "image/svg+xml", filename: "image-1.svg" });
    expect((attachments[0]?.content as Buffer).toString()).toBe("<svg xmlns='http://www.w3.org/2000/svg'/>");
    expect(html).toMatch(/^<img src="cid:[^"]+">$/);
  });
});

describe("sanitizeSubject", () => {
  it("turns every kind of line break into a space and leaves the rest", () => {
    expect(sanitizeSubject("a\r\nb\nc\rd\r\n\r\ne")).toBe("a b c d  e");
    expect(sanitizeSubject("Grüße\t✓")).toBe("Grüße\t✓");
  });
});

describe("htmlToPlainText's memory of recent bodies", () => {
  it("gives the same text for a body it converted before", async () => {
    const html = "<p>Your code is <b>1234</b></p>";
    const first = await htmlToPlainText(html);
    expect(await htmlToPlainText(html)).toBe(first);
    expect(first).toBe("Your code is 1234");
  });

  it("keeps converting new bodies once it is full", async () => {
    for (let index = 0; index < 40; index++) expect(await htmlToPlainText(`<p>n${index}</p>`)).toBe(`n${index}`);
  });
});
