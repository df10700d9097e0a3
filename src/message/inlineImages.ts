import { randomUUID } from "node:crypto";
import type Mail from "nodemailer/lib/mailer";
import { defaultFileName, essence } from "../attachments/contentType";
import { parseDataUrl } from "../attachments/dataUrl";
import { scanHtml } from "./htmlScan";

export interface EmbeddedImages {
  html: string;
  /** One inline attachment per distinct image, each with the cid the HTML now references. */
  attachments: Mail.Attachment[];
}

/**
 * Rich-text editors put pasted images into the HTML as data URLs, which most mail clients refuse to
 * show. Each such image becomes an inline attachment referenced as cid:, which every client shows.
 * The same image used twice is attached once. A data URL that is not a valid image is left as it was:
 * it would not show anyway, and a broken decoration should not stop the mail.
 * The HTML is tokenized once and rebuilt from slices, so the work stays linear in its length.
 */
export function embedDataUrlImages(html: string): EmbeddedImages {
  const attachments: Mail.Attachment[] = [];
  const cidByUrl = new Map<string, string>();
  const pieces: string[] = [];
  let copied = 0;
  for (const source of scanHtml(html)) {
    const dataUrl = source.value.trim();
    if (!/^data:/i.test(dataUrl)) continue;
    let cid = cidByUrl.get(dataUrl);
    if (!cid) {
      const parsed = parseDataUrl(dataUrl);
      if (!parsed.ok || !essence(parsed.contentType).startsWith("image/")) continue;
      cid = `${randomUUID()}@inline`;
      cidByUrl.set(dataUrl, cid);
      attachments.push({
        filename: defaultFileName(`image-${attachments.length + 1}`, parsed.contentType, "img"),
        content: parsed.bytes,
        contentType: parsed.contentType,
        cid,
        contentDisposition: "inline",
      });
    }
    // The attribute name keeps its spelling (src, SRC); the value becomes the cid: reference.
    pieces.push(html.slice(copied, source.start), `${html.slice(source.start, source.start + 3)}="cid:${cid}"`);
    copied = source.end;
  }
  if (copied === 0) return { html, attachments };
  pieces.push(html.slice(copied));
  return { html: pieces.join(""), attachments };
}
