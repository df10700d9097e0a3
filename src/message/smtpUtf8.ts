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
  if (envelope) return [envelope.from, envelope.to, envelope.cc, envelope.bcc].some((source) => hasInternationalAddress(source, 0));
  // Checked on every send: no list is built for the usual few validated address objects.
  return (
    hasInternationalAddress(mailOptions.from, 0) ||
    hasInternationalAddress(mailOptions.sender, 0) ||
    hasInternationalAddress(mailOptions.to, 0) ||
    hasInternationalAddress(mailOptions.cc, 0) ||
    hasInternationalAddress(mailOptions.bcc, 0)
  );
}

function hasInternationalAddress(value: unknown, depth: number): boolean {
  if (value === undefined || value === null || value === false || depth > 5) return false;
  if (typeof value === "string") return addressparser(value, { flatten: true }).some((entry) => hasInternationalLocalPart(entry.address));
  if (Array.isArray(value)) {
    for (const entry of value) if (hasInternationalAddress(entry, depth + 1)) return true;
    return false;
  }
  if (typeof value === "object") {
    const { address, group } = value as { address?: unknown; group?: unknown };
    if (typeof address === "string") return hasInternationalLocalPart(address);
    return hasInternationalAddress(group, depth + 1);
  }
  return false;
}
