import { containsLineBreak, isValidHeaderName } from "./headerSafety";

/** One header line to add, in order; a repeated header is several entries with the same key. */
export interface CustomHeader {
  key: string;
  value: string;
}

type Report = (message: string) => void;

const LABEL = "Custom Headers (customHeaders)";
export const MAX_CUSTOM_HEADERS_BYTES = 8 * 1024;
// A name must leave room for ": " and a value on a 78-character line.
const MAX_NAME_LENGTH = 64;
// RFC 5322 allows 998 characters per line; a long value without spaces cannot be folded.
const MAX_VALUE_LENGTH = 900;

/**
 * Headers the node writes from its own fields, or that servers add on the way: a custom value would
 * contradict a field, add a recipient the envelope does not have, or forge a server's stamp. Each
 * maps to what to use instead.
 */
const RESERVED: Record<string, string> = {
  from: "use Custom From Email Address (from)",
  sender: "use Custom From Email Address (from)",
  to: "use Recipient TO Email Addresses (to)",
  cc: "use CC Email Addresses (cc)",
  bcc: "use BCC Email Addresses (bcc)",
  "reply-to": "use Reply To Address (replyTo)",
  subject: "use Email Subject (subject)",
  "in-reply-to": "use In Reply To (inReplyTo)",
  references: "use References (references)",
  "x-priority": "use Email Priority (priority)",
  importance: "use Email Priority (priority)",
  priority: "use Email Priority (priority)",
  "x-msmail-priority": "use Email Priority (priority)",
  date: "the node sets it to the time of sending",
  "message-id": "the node generates a unique one (stored in the result as messageId); to set it, use Message-ID (messageId) under Advanced",
  "mime-version": "the node sets it",
  "return-path": "the receiving server sets it from the sender address",
  received: "only servers on the way add it",
  "delivered-to": "only the receiving server adds it",
  "envelope-to": "only the receiving server adds it",
  "x-original-to": "only the receiving server adds it",
  "apparently-to": "only the receiving server adds it",
  "authentication-results": "only the receiving server adds it",
  "received-spf": "only the receiving server adds it",
  "dkim-signature": "your mail server signs outgoing mail",
  "content-": "the node sets it from Email Content and the attachments",
  "resent-": "it marks a forwarded mail and may add recipients",
  "arc-": "only servers on the way add it",
};

/** Why a header may not be set here, or undefined when it may. */
export function reservedHeaderReason(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (RESERVED[lower] !== undefined && !lower.endsWith("-")) return RESERVED[lower];
  const prefix = Object.keys(RESERVED).find((key) => key.endsWith("-") && lower.startsWith(key));
  return prefix === undefined ? undefined : RESERVED[prefix];
}

/**
 * Validates the Custom Headers JSON: an object of header names to single-line text, or lists of text
 * for a header that repeats. Empty values are left out (a CognigyScript expression that found nothing);
 * nodemailer encodes non-ASCII values as RFC 2047 encoded words.
 */
export function customHeaders(value: unknown, report: Report): CustomHeader[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== "object" || Array.isArray(value)) {
    report(`${LABEL} must be a JSON object of header names and values, e.g. { "X-Ticket-Id": "4711" }.`);
    return [];
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const size = entries.reduce((sum, [name, raw]) => sum + Buffer.byteLength(name) + Buffer.byteLength(JSON.stringify(raw) ?? ""), 0);
  if (size > MAX_CUSTOM_HEADERS_BYTES) {
    report(`${LABEL} is ${Math.ceil(size / 1024)} KB; keep it under ${MAX_CUSTOM_HEADERS_BYTES / 1024} KB: headers are for short values such as ids.`);
    return [];
  }
  const headers: CustomHeader[] = [];
  for (const [name, raw] of entries) {
    const problem = nameProblem(name) ?? valueProblems(name, raw);
    if (problem !== undefined) {
      report(`${LABEL}: ${problem}`);
      return [];
    }
    for (const text of valuesOf(raw)) headers.push({ key: name, value: text });
  }
  return headers;
}

function nameProblem(name: string): string | undefined {
  const shown = JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
  if (!isValidHeaderName(name)) return `${shown} is not a valid header name: use letters, digits and dashes, without spaces or colons, e.g. X-Ticket-Id.`;
  if (name.length > MAX_NAME_LENGTH) return `${shown} is longer than ${MAX_NAME_LENGTH} characters.`;
  const reserved = reservedHeaderReason(name);
  if (reserved !== undefined) return `"${name}" cannot be set here: ${reserved}.`;
  return undefined;
}

function valueProblems(name: string, raw: unknown): string | undefined {
  const list = Array.isArray(raw) ? raw : [raw];
  for (const item of list) {
    if (item === null || item === undefined) continue;
    if (typeof item !== "string" && typeof item !== "number" && typeof item !== "boolean") {
      return `the value of "${name}" must be text, or a list of texts for a repeated header.`;
    }
    const text = String(item);
    // A line break would end the header and start one of the value's choosing.
    if (containsLineBreak(text)) return `the value of "${name}" contains a line break; a header value must be a single line.`;
    if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) return `the value of "${name}" contains a control character; remove it.`;
    if (text.length > MAX_VALUE_LENGTH) return `the value of "${name}" is longer than ${MAX_VALUE_LENGTH} characters.`;
  }
  return undefined;
}

function valuesOf(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list
    .filter((item): item is string | number | boolean => item !== null && item !== undefined)
    .map((item) => String(item).trim())
    .filter((text) => text !== "");
}
