import addressparser from "nodemailer/lib/addressparser";
import type { AddressInput } from "../config/sendSmtpEmailConfig";
import { SmtpEmailError } from "../errors/SmtpEmailError";
import { emailAddressProblem } from "./emailAddress";
import { containsLineBreak } from "./headerSafety";

/** A validated mailbox, in the shape nodemailer takes for address headers. */
export interface Mailbox {
  name: string;
  address: string;
}

/** The message's address fields with the labels users see, so errors name what to fix. */
export const ADDRESS_FIELD_LABELS = {
  to: "Recipient TO Email Addresses (to)",
  cc: "CC Email Addresses (cc)",
  bcc: "BCC Email Addresses (bcc)",
  from: "Custom From Email Address (from)",
  replyTo: "Reply To Address (replyTo)",
} as const;

export type AddressField = keyof typeof ADDRESS_FIELD_LABELS;

const HINT =
  'Enter addresses like jane@example.com, separated by commas; a name goes in front in angle-bracket form: "Doe, Jane" <jane@example.com>. From CognigyScript, an array of such texts or of { "name", "address" } objects works too.';

export function addressError(field: AddressField, problem: string): SmtpEmailError {
  return new SmtpEmailError("address", `${ADDRESS_FIELD_LABELS[field]}: ${problem}`, HINT, { field });
}

/**
 * Parses one address field: a comma-separated text (display names, quotes and groups as in a mail
 * header, read by nodemailer's own addressparser) or an array of such texts and { name, address }
 * objects. Every mailbox is validated; the first bad one fails the whole field.
 */
export function parseAddressList(input: AddressInput | undefined, field: AddressField): Mailbox[] {
  if (input === undefined) return [];
  const mailboxes: Mailbox[] = [];
  collect(input, field, mailboxes, 0);
  return mailboxes;
}

/** A field that takes exactly one mailbox (From, Reply-To); undefined when it is empty. */
export function parseSingleAddress(input: AddressInput | undefined, field: AddressField): Mailbox | undefined {
  const mailboxes = parseAddressList(input, field);
  if (mailboxes.length > 1) {
    throw addressError(field, `takes a single address, but ${mailboxes.length} were given (${mailboxes.map((m) => m.address).join(", ")}).`);
  }
  return mailboxes[0];
}

function collect(input: unknown, field: AddressField, into: Mailbox[], depth: number): void {
  if (input === undefined || input === null) return;
  if (typeof input === "string") {
    parseText(input, field, into);
    return;
  }
  if (Array.isArray(input)) {
    // CognigyScript may hand over a list of lists (e.g. mapped groups); more nesting is a mistake.
    if (depth > 2) throw addressError(field, "contains lists nested too deeply.");
    input.forEach((entry) => collect(entry, field, into, depth + 1));
    return;
  }
  if (typeof input === "object") {
    into.push(fromObject(input as Record<string, unknown>, field));
    return;
  }
  throw addressError(field, `contains ${JSON.stringify(input)}, which is neither an address text nor a { "name", "address" } object.`);
}

function parseText(text: string, field: AddressField, into: Mailbox[]): void {
  // Refuse rather than clean: a line break in an address is either an injection attempt or a
  // template gone wrong, and silently merging lines could send mail to an unintended mailbox.
  if (containsLineBreak(text)) throw addressError(field, `${quote(text)} contains a line break, which an address cannot have.`);
  if (text.trim() === "") return;
  for (const parsed of addressparser(text, { flatten: true })) {
    const address = parsed.address.trim();
    const name = parsed.name.trim();
    if (address === "" && name === "") continue;
    // addressparser reads a token without "@" as a display name: for the user it is a bad address.
    if (address === "") throw invalid(field, name, 'it has no "@"');
    const problem = emailAddressProblem(address);
    if (problem) throw invalid(field, address, problem);
    // addressparser turns "a@example.com b@example.com" into one mailbox named "b@example.com":
    // a forgotten comma would silently drop a recipient. A quoted name may legitimately hold an "@".
    const strayAddress = name.split(/\s+/).find((word) => emailAddressProblem(word.replace(/^<|>$/g, "")) === undefined);
    if (strayAddress && !text.includes('"')) {
      throw addressError(field, `${quote(`${strayAddress} ${address}`)} looks like two addresses without a comma between them; separate addresses with commas, and put a display name that contains "@" in double quotes.`);
    }
    into.push({ name, address });
  }
}

function fromObject(entry: Record<string, unknown>, field: AddressField): Mailbox {
  const { address, name } = entry;
  if (typeof address !== "string" || (name !== undefined && name !== null && typeof name !== "string")) {
    throw addressError(field, `contains ${describe(entry)}; an address object needs a text "address" and optionally a text "name".`);
  }
  if (containsLineBreak(address) || (typeof name === "string" && containsLineBreak(name))) {
    throw addressError(field, `${quote(address)} has a line break in its address or name, which a mail header cannot carry.`);
  }
  const trimmed = address.trim();
  const problem = emailAddressProblem(trimmed);
  if (problem) throw invalid(field, trimmed, problem);
  return { name: typeof name === "string" ? name.trim() : "", address: trimmed };
}

function invalid(field: AddressField, value: string, problem: string): SmtpEmailError {
  return addressError(field, `${quote(value)} is not a valid email address: ${problem}.`);
}

function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(shown);
}

function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return "an object that is not an address";
  }
}
