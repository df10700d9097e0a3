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
      // The message is compiled already (the Mail front did that while the login may still be under way),
      // and its bytes are generated now, into the stream's buffer (first use of nodemailer's encoders costs
      // a few ms). They go out only once the session has logged in; a stream that failed meanwhile is not sent.
      const stream = message.message.createReadStream();
      let streamFailure: Error | undefined;
      // Kept on for the stream's life: until the SMTP client listens, an error would otherwise crash the process.
      stream.on("error", (error: Error) => (streamFailure ??= error));
      loggedIn
        .then(() => {
          if (streamFailure) throw streamFailure;
          return session.send(envelope, stream);
        })
        .then(
          (info) => done(null, sentBySmtp({ ...info, envelope, messageId })),
          (error: Error) => {
            // Not sent (or not whole): the generated message and what it reads from are let go.
            stream.destroy();
            done(error);
          },
        );
    },
  };
  const front = new Mail(transport, { disableFileAccess: true, disableUrlAccess: true });
  front.use("stream", trackHandover);
  return front.sendMail(withHandover(Object.assign({}, streamLargeContent(mail)), handover));
}
