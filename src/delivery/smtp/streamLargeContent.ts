import { Readable } from "node:stream";
import type Mail from "nodemailer/lib/mailer";

/** Above this, an attachment's bytes are handed to nodemailer as a stream. */
const STREAM_ABOVE_BYTES = 256 * 1024;
const SLICE_BYTES = 64 * 1024;

function* slices(bytes: Buffer): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += SLICE_BYTES) yield bytes.subarray(offset, offset + SLICE_BYTES);
}

/**
 * nodemailer encodes a Buffer attachment in one piece: the whole Base64 text, a line-wrapped copy and a
 * dot-stuffed copy, several times the file in memory at once. Handed over as a stream of zero-copy slices
 * it encodes as it sends. Made fresh for every attempt, since a stream can be read only once.
 */
export function streamLargeContent(mail: Mail.Options): Mail.Options {
  if (!mail.attachments?.some((attachment) => Buffer.isBuffer(attachment.content) && attachment.content.length > STREAM_ABOVE_BYTES)) return mail;
  return {
    ...mail,
    attachments: mail.attachments.map((attachment) =>
      Buffer.isBuffer(attachment.content) && attachment.content.length > STREAM_ABOVE_BYTES ? { ...attachment, content: Readable.from(slices(attachment.content)) } : attachment,
    ),
  };
}
