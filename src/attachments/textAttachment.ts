import type Mail from "nodemailer/lib/mailer";
import type { AttachmentSpec } from "../config/attachmentSpecs";
import { sanitizeFileName } from "./fileName";

type TextSpec = Extract<AttachmentSpec, { type: "text" }>;

/** Text typed into the node, attached as a UTF-8 file. */
export function textAttachment(spec: TextSpec): Mail.Attachment {
  return {
    filename: sanitizeFileName(spec.fileName) ?? "attachment.txt",
    // A Buffer, not a string: nodemailer then base64-encodes the exact UTF-8 bytes.
    content: Buffer.from(spec.text, "utf8"),
    contentType: "text/plain; charset=utf-8",
  };
}
