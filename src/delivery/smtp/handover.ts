import type { Readable } from "node:stream";
import type Mail from "nodemailer/lib/mailer";

/** Where the tracker travels in the mail options: nodemailer copies every own key of them into mail.data. */
const KEY = "smtpEmailHandover";

/**
 * Whether a message went out whole: nodemailer's SMTP client has read all of it (the final dot follows at
 * once). A failure before that surely delivered nothing; one after it, without an answer, may have.
 */
export class Handover {
  /** The finished message as nodemailer's SMTP client reads it. */
  stream?: Readable;

  get complete(): boolean {
    return this.stream?.readableEnded === true;
  }
}

/** The mail options with `handover` attached, for trackHandover to find. */
export function withHandover(mail: Mail.Options, handover: Handover): Mail.Options {
  return Object.assign(mail, { [KEY]: handover });
}

/**
 * A 'stream' plugin (nodemailer's hook for the finished message stream, the one DKIM signing uses). It only
 * notes the stream, handing it on unchanged: no extra stage on the way to the socket, nothing per chunk.
 */
export const trackHandover: Mail.PluginFunction = (mail, done) => {
  const handover = (mail.data as Record<string, unknown>)[KEY];
  if (handover instanceof Handover) {
    mail.message.processFunc((input: Readable) => {
      handover.stream = input;
      return input;
    });
  }
  done();
};
