import type Mail from "nodemailer/lib/mailer";
import type { AttachmentSpec } from "../config/attachmentSpecs";
import { attachmentError } from "./attachmentContext";
import { defaultFileName, normalizeContentType, withUtf8Charset } from "./contentType";
import { sanitizeFileName } from "./fileName";

type CustomSpec = Extract<AttachmentSpec, { type: "custom" }>;

/** Typed content with a MIME type of the user's choosing, e.g. a CSV or a JSON document. */
export function customAttachment(spec: CustomSpec): Mail.Attachment {
  const normalized = normalizeContentType(spec.contentType);
  if (!normalized) {
    throw attachmentError(
      spec,
      `the MIME type ${JSON.stringify(spec.contentType)} is not a valid type/subtype.`,
      "Enter it as type/subtype using letters, digits and - . + _ only, e.g. text/csv or application/json; parameters follow after a semicolon, e.g. text/csv; charset=utf-8.",
      "attachmentContentType",
    );
  }
  // The content is a JS string we encode as UTF-8; say so for text types.
  const contentType = withUtf8Charset(normalized);
  return {
    filename: sanitizeFileName(spec.fileName) ?? defaultFileName("attachment", contentType, "bin"),
    content: Buffer.from(spec.content, "utf8"),
    contentType,
  };
}
