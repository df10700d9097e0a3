import Mail, { type Transport } from "nodemailer/lib/mailer";
import type { SentMessage } from "../../result/sentMessage";
import type { SmtpSession } from "./smtpSession";
import { Handover, trackHandover, withHandover } from "./handover";
import { sentBySmtp } from "./sentBySmtp";
import { streamLargeContent } from "./streamLargeContent";

/**
 * nodemailer's own pipeline (the Mail front and its composer, as for the pool) ending in a transport
 * that sends on the prepared session, as nodemailer's pool resource does on its connection. In a module
 * of its own, imported while the session connects: the Mail front is ~15 ms to load (see xoauth2Login for
 * why our module is imported rather than nodemailer's).
 */
export function sendOnSession(session: SmtpSession, loggedIn: Promise<void>, mail: Mail.Options, handover: Handover): Promise<SentMessage> {
  const transport: Transport<SentMessage> = {
    name: "SMTP (prepared session)",
    version: "1",
    send: (message, done) => {
      const envelope = message.message.getEnvelope();
      const messageId = message.message.messageId();
      // The message is compiled already (the Mail front did that while the login may still be under way);
      // its bytes go out only once the session has logged in.
      loggedIn.then(() => session.send(envelope, message.message.createReadStream())).then(
        (info) => done(null, sentBySmtp({ ...info, envelope, messageId })),
        (error: Error) => done(error),
      );
    },
  };
  const front = new Mail(transport, { disableFileAccess: true, disableUrlAccess: true });
  front.use("stream", trackHandover);
  return front.sendMail(withHandover(Object.assign({}, streamLargeContent(mail)), handover));
}
