import MimeNode from "nodemailer/lib/mime-node";
import { SmtpEmailError } from "../errors/SmtpEmailError";
import { OCTET_STREAM, contentTypeForName, essence, withUtf8Charset } from "./contentType";

/**
 * What a Build MIME node stores and a `mime` attachment accepts: the finished entity in `raw`, plus
 * its main properties so a flow can inspect them without parsing MIME.
 */
export interface MimePartValue {
  type: "mimePart";
  contentType: string;
  fileName?: string;
  disposition: "attachment" | "inline";
  contentId?: string;
  /** Size of the content in bytes, before transfer encoding. */
  size: number;
  /** The complete entity: headers, blank line, encoded body, CRLF line endings. */
  raw: string;
}

export interface MimePartInput {
  /** Already validated (type/subtype[; params]); derived from the file name when absent. */
  contentType?: string;
  fileName?: string;
  /** Text to encode as UTF-8, or exact bytes (from Base64). */
  content: { source: "text"; text: string } | { source: "bytes"; bytes: Buffer };
  disposition: "attachment" | "inline";
  /** Without angle brackets, already validated. */
  contentId?: string;
  /** Extra headers, names and values already validated. */
  headers: Record<string, string>;
}

/**
 * Builds one MIME entity with nodemailer's MimeNode, so header encoding (RFC 2047/2231 for names),
 * folding and the body's transfer encoding follow the same rules as the rest of the mail. The node is
 * created as the child of a throwaway root: a root node would add Date, Message-ID and MIME-Version,
 * which belong to a message, not to one of its parts.
 */
export async function buildMimePart(input: MimePartInput): Promise<MimePartValue> {
  const isText = input.content.source === "text";
  const baseType = input.contentType ?? contentTypeForName(input.fileName) ?? (isText ? "text/plain" : OCTET_STREAM);
  const type = essence(baseType);
  if (type.startsWith("multipart/")) {
    throw new SmtpEmailError(
      "configuration",
      `Content Type (contentType) "${baseType}" is a multipart type, but Build MIME makes a single part.`,
      "Use the type of the content itself, e.g. text/calendar or application/pdf.",
      { field: "contentType" },
    );
  }

  let content: string | Buffer;
  let contentType = baseType;
  if (input.content.source === "text") {
    // Text types travel with CRLF line breaks (RFC 2046 canonical form) and say they are UTF-8.
    content = type.startsWith("text/") || type.startsWith("message/") ? input.content.text.replace(/\r\n|\r|\n/g, "\r\n") : Buffer.from(input.content.text, "utf8");
    if (type.startsWith("text/")) contentType = withUtf8Charset(baseType);
  } else {
    content = input.content.bytes;
  }
  if (type.startsWith("message/")) content = sevenBitLines(content);
  const size = typeof content === "string" ? Buffer.byteLength(content, "utf8") : content.length;

  const root = new MimeNode("multipart/mixed");
  const node = root.createChild(contentType, input.fileName ? { filename: input.fileName } : {});
  node.setHeader("Content-Disposition", input.disposition);
  if (input.contentId) node.setHeader("Content-ID", `<${input.contentId}>`);
  for (const [key, value] of Object.entries(input.headers)) node.addHeader(key, value);
  // Bytes from Base64 are always re-encoded as Base64: quoted-printable could normalize line breaks
  // in text types, and the point of giving bytes is that they arrive exactly as given.
  if (Buffer.isBuffer(content) && !type.startsWith("message/")) node.setHeader("Content-Transfer-Encoding", "base64");
  node.setContent(content);
  const raw = (await node.build()).toString("latin1");

  return {
    type: "mimePart",
    contentType,
    ...(input.fileName ? { fileName: input.fileName } : {}),
    disposition: input.disposition,
    ...(input.contentId ? { contentId: input.contentId } : {}),
    size,
    raw,
  };
}

/** A message/* part may not be transfer-encoded (RFC 2046 §5.2.1), so it must be 7-bit already. */
function sevenBitLines(content: string | Buffer): string {
  const text = typeof content === "string" ? content : content.toString("latin1");
  if (/[^\x01-\x7f]/.test(text) || text.split(/\r?\n/).some((line) => line.length > 998)) {
    throw new SmtpEmailError(
      "configuration",
      "Content Type (contentType) is a message/* type, whose content cannot be encoded, but the content has non-ASCII characters or lines over 998 characters.",
      "Use application/octet-stream (or the file's own type) for such content, or encode the embedded message's body first.",
      { field: "contentType" },
    );
  }
  return text.replace(/\r\n|\r|\n/g, "\r\n");
}
