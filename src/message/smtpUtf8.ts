import type Mail from "nodemailer/lib/mailer";
import addressparser from "nodemailer/lib/addressparser";
import { hasInternationalLocalPart } from "./emailAddress";

/**
 * Whether delivering these mail options needs the server's SMTPUTF8 extension (RFC 6531): true when
 * an envelope mailbox has non-ASCII before the "@". Internationalized domains alone do not need it,
 * nodemailer sends them as punycode.
 *
 * Why this exists: nodemailer 10.6's SMTP connection only *adds* the SMTPUTF8 keyword when the server
 * advertises it; when the server does not, it still sends the raw UTF-8 MAIL FROM / RCPT TO and leaves
 * the outcome to the server (a rejection, or worse, a mangled address). The caller checks this against
 * the server's EHLO capabilities before sending and fails early with a clear message.
 */
export function requiresSmtpUtf8(mailOptions: Mail.Options): boolean {
  const envelope = mailOptions.envelope;
  const sources: unknown[] = envelope
    ? [envelope.from, envelope.to, envelope.cc, envelope.bcc]
    : [mailOptions.from, mailOptions.sender, mailOptions.to, mailOptions.cc, mailOptions.bcc];
  return sources.some((source) => envelopeAddresses(source).some(hasInternationalLocalPart));
}

function envelopeAddresses(value: unknown, depth = 0): string[] {
  if (value === undefined || value === null || value === false || depth > 5) return [];
  if (typeof value === "string") return addressparser(value, { flatten: true }).map((entry) => entry.address);
  if (Array.isArray(value)) return value.flatMap((entry) => envelopeAddresses(entry, depth + 1));
  if (typeof value === "object") {
    const { address, group } = value as { address?: unknown; group?: unknown };
    if (typeof address === "string") return [address];
    return envelopeAddresses(group, depth + 1);
  }
  return [];
}
