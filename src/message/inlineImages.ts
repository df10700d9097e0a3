import { randomUUID } from "node:crypto";
import type Mail from "nodemailer/lib/mailer";
import { defaultFileName, essence } from "../attachments/contentType";
import { parseDataUrl } from "../attachments/dataUrl";

export interface EmbeddedImages {
  html: string;
  /** One inline attachment per distinct image, each with the cid the HTML now references. */
  attachments: Mail.Attachment[];
}

// <img ... src="data:..."> with double, single or no quotes; the src value cannot contain its quote.
const IMG_DATA_SRC = /(<img\b[^>]*?\ssrc\s*=\s*)(?:"(data:[^"]*)"|'(data:[^']*)'|(data:[^\s>]+))/gi;

/**
 * Rich-text editors put pasted images into the HTML as data URLs, which most mail clients refuse to
 * show. Each such image becomes an inline attachment referenced as cid:, which every client shows.
 * The same image used twice is attached once. A data URL that is not a valid image is left as it was:
 * it would not show anyway, and a broken decoration should not stop the mail.
 */
export function embedDataUrlImages(html: string): EmbeddedImages {
  const attachments: Mail.Attachment[] = [];
  const cidByUrl = new Map<string, string>();
  const rewritten = html.replace(IMG_DATA_SRC, (match: string, prefix: string, doubleQuoted?: string, singleQuoted?: string, bare?: string) => {
    const dataUrl = doubleQuoted ?? singleQuoted ?? bare ?? "";
    const known = cidByUrl.get(dataUrl);
    if (known) return `${prefix}"cid:${known}"`;
    const parsed = parseDataUrl(dataUrl.replace(/&amp;/g, "&"));
    if (!parsed.ok || !essence(parsed.contentType).startsWith("image/")) return match;
    const cid = `${randomUUID()}@inline`;
    cidByUrl.set(dataUrl, cid);
    attachments.push({
      filename: defaultFileName(`image-${attachments.length + 1}`, parsed.contentType, "img"),
      content: parsed.bytes,
      contentType: parsed.contentType,
      cid,
      contentDisposition: "inline",
    });
    return `${prefix}"cid:${cid}"`;
  });
  return { html: rewritten, attachments };
}
