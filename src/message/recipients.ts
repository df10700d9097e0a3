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

/**
 * Every address of the message, validated. The sender is the Custom From address or, when that is
 * empty, the authenticated user (`defaultFrom`), since most providers only accept that one anyway.
 */
export function resolveRecipients(message: MessageConfig, defaultFrom: string | undefined): Recipients {
  const to = parseAddressList(message.to, "to");
  if (to.length === 0) throw addressError("to", "contains no email address: enter at least one, e.g. jane@example.com.");
  return {
    from: parseSingleAddress(message.from, "from") ?? senderFromLogin(defaultFrom),
    to,
    cc: parseAddressList(message.cc, "cc"),
    bcc: parseAddressList(message.bcc, "bcc"),
    replyTo: parseSingleAddress(message.replyTo, "replyTo"),
  };
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
