import type { MessageConfig } from "../config/sendSmtpEmailConfig";
import { SmtpEmailError } from "../errors/SmtpEmailError";
import { addressError, parseAddressList, parseSingleAddress, type Mailbox } from "./addressList";
import { emailAddressProblem } from "./emailAddress";

export interface Recipients {
  from: Mailbox;
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  replyTo?: Mailbox;
}

/** Validated recipients of frozen (remembered) message configs: the same config needs parsing once. */
const resolved = new WeakMap<MessageConfig, { defaultFrom: string | undefined; recipients: Recipients }>();

/**
 * Every address of the message, validated. The sender is the Custom From address or, when that is
 * empty, the authenticated user (`defaultFrom`), since most providers only accept that one anyway.
 */
export function resolveRecipients(message: MessageConfig, defaultFrom: string | undefined): Recipients {
  // Only a frozen config cannot change after its addresses were checked (see ValidatedConfigMemo).
  if (!Object.isFrozen(message)) return parseRecipients(message, defaultFrom);
  const known = resolved.get(message);
  if (known && known.defaultFrom === defaultFrom) return copyOf(known.recipients);
  const recipients = parseRecipients(message, defaultFrom);
  resolved.set(message, { defaultFrom, recipients: copyOf(recipients) });
  return recipients;
}

/** Callers (and nodemailer) get mailboxes of their own. */
function copyOf(recipients: Recipients): Recipients {
  const copy = (mailbox: Mailbox): Mailbox => ({ ...mailbox });
  return {
    from: copy(recipients.from),
    to: recipients.to.map(copy),
    cc: recipients.cc.map(copy),
    bcc: recipients.bcc.map(copy),
    ...(recipients.replyTo && { replyTo: copy(recipients.replyTo) }),
  };
}

function parseRecipients(message: MessageConfig, defaultFrom: string | undefined): Recipients {
  const to = parseAddressList(message.to, "to");
  if (to.length === 0) throw addressError("to", "contains no email address: enter at least one, e.g. jane@example.com.");
  const recipients = {
    from: parseSingleAddress(message.from, "from") ?? senderFromLogin(defaultFrom),
    to,
    cc: parseAddressList(message.cc, "cc"),
    bcc: parseAddressList(message.bcc, "bcc"),
    replyTo: parseSingleAddress(message.replyTo, "replyTo"),
  };
  if (message.maxRecipients !== undefined) checkRecipientCount(recipients, message.maxRecipients);
  return recipients;
}

/**
 * A bot often mails an address the chat user typed: one message holding a list of strangers' addresses must
 * not make it mail them all. Each address counts once, however often it is listed (the envelope names it once).
 */
function checkRecipientCount({ to, cc, bcc }: Pick<Recipients, "to" | "cc" | "bcc">, limit: number): void {
  const distinct = new Set<string>();
  for (const list of [to, cc, bcc]) for (const mailbox of list) distinct.add(mailbox.address.toLowerCase());
  if (distinct.size <= limit) return;
  throw new SmtpEmailError(
    "configuration",
    `The mail has ${distinct.size} recipients (To, CC and BCC together), more than Maximum Recipients allows (${limit}). Nothing was sent.`,
    "Send to fewer addresses, or raise Maximum Recipients (maxRecipients) under Advanced if this many is intended. When To comes from what a chat user typed, keep it at 1.",
    { field: "maxRecipients" },
  );
}

function senderFromLogin(defaultFrom: string | undefined): Mailbox {
  const login = defaultFrom?.trim() ?? "";
  if (login === "") {
    throw new SmtpEmailError(
      "configuration",
      "The mail has no sender: Custom From Email Address (from) is empty and the connection has no user name to send as.",
      "Enter a Custom From Email Address under Advanced, e.g. bot@example.com, using an address the SMTP account may send as.",
      { field: "from" },
    );
  }
  // Some servers log in with a plain user name; that cannot stand in for a sender address.
  if (emailAddressProblem(login) !== undefined || /[<>,"]/.test(login)) {
    throw new SmtpEmailError(
      "configuration",
      `The mail has no sender: Custom From Email Address (from) is empty and the login "${login}" is not an email address to send as.`,
      "Enter a Custom From Email Address under Advanced, e.g. bot@example.com, using an address the SMTP account may send as.",
      { field: "from" },
    );
  }
  return { name: "", address: login };
}
