import Mail, { type Transport } from "nodemailer/lib/mailer";
import type MailMessage from "nodemailer/lib/mailer/mail-message";
import type { ResultCallback } from "nodemailer/lib/errors";
import { SmtpEmailError } from "../../errors/SmtpEmailError";

/** The message as nodemailer wrote it, for a delivery that hands over the whole MIME at once. */
export interface ComposedMime {
  raw: Buffer;
  /** The Message-ID header's value, as the node set it. */
  messageId: string;
  /** The sender's address and every recipient (To, Cc and Bcc). */
  envelope: { from: string; to: string[] };
}

/**
 * nodemailer's own pipeline, up to the MIME: the same Mail front (priority and mailer headers, the
 * access sandbox) and the same composer the SMTP path uses, ending in a transport that reads the
 * message instead of sending it, like nodemailer's stream transport, but bounded: reading stops at
 * `maxBytes`, so a message too large for the delivery is refused before it is held in memory whole.
 * Bcc stays in the headers (keepBcc), as for nodemailer's sendmail transport: the receiving side
 * takes the recipients from them and removes the header on delivery.
 */
export function composeMime(mail: Mail.Options, maxBytes: number): Promise<ComposedMime> {
  const capture: Transport<ComposedMime> = { name: "MimeCapture", version: "1", send: (message, done) => readBounded(message, maxBytes, done) };
  // Per message, as cheap as an object: the bound travels with the transport instead of the mail options.
  return new Mail(capture, { disableFileAccess: true, disableUrlAccess: true }).sendMail(mail);
}

function readBounded(mail: MailMessage<ComposedMime>, maxBytes: number, done: ResultCallback<ComposedMime>): void {
  mail.message.keepBcc = true;
  const envelope = mail.message.getEnvelope();
  const messageId = mail.message.messageId();
  const stream = mail.message.createReadStream();
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (error: Error | null, result?: ComposedMime) => {
    if (finished) return;
    finished = true;
    done(error, result);
  };
  stream.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) {
      stream.destroy();
      finish(messageTooLarge(maxBytes));
      return;
    }
    chunks.push(chunk);
  });
  stream.once("error", (error: Error) => finish(error));
  stream.once("end", () => finish(null, { raw: Buffer.concat(chunks, size), messageId, envelope: { from: envelope.from === false ? "" : envelope.from, to: envelope.to } }));
}

function messageTooLarge(maxBytes: number): SmtpEmailError {
  const mb = (maxBytes / (1024 * 1024)).toFixed(0);
  return new SmtpEmailError(
    "attachment",
    `The message is larger than ${mb} MB, the most Microsoft Graph takes in one request once it is Base64-encoded (4 MB). Nothing was sent.`,
    "Send smaller or fewer attachments (link large files instead of attaching them), or choose Delivery SMTP, where Exchange Online accepts messages of up to 35 MB.",
  );
}
