/**
 * Guards for every value that ends up in a header line. A CR or LF inside a header value would end
 * the line and let the rest read as a header of its own (header injection), so each kind of value is
 * either cleaned (where a space is a faithful stand-in) or refused (where guessing would be wrong).
 */

import { decodeEncodedWords } from "./encodedWords";

const LINE_BREAK = /\r\n|[\r\n]/g;

export function containsLineBreak(value: string): boolean {
  return /[\r\n]/.test(value);
}

/** A subject is free text: a line break in it is layout from a template, so it becomes a space. */
export function sanitizeSubject(subject: string): string {
  return subject.replace(LINE_BREAK, " ");
}

/**
 * C0 and C1 controls, DEL, and the invisible format characters that reorder or hide text (bidi
 * overrides turn "invoice\u202Efdp.exe" into "invoiceexe.pdf" on screen), line and paragraph separators.
 */
const FILE_NAME_CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * A file name the recipient sees and saves. Encoded words (=?utf-8?Q?..=2F.bashrc?=) are decoded
 * first, because nodemailer passes them through and the recipient's client decodes them. Then control
 * characters become spaces; path separators, and the "?" that an encoded word needs, become
 * underscores; runs of dots become one, and dots at either end go, so the name is never "..", a
 * hidden file or a path. Empty → undefined (the attachment gets a default name).
 */
export function sanitizeFileName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const cleaned = trimDotsAndSpaces(
    decodeEncodedWords(name)
      .replace(FILE_NAME_CONTROL, " ")
      .replace(/[/\\?]/g, "_")
      .replace(/\s+/g, " ")
      .replace(/\.{2,}/g, "."),
  );
  if (cleaned === "") return undefined;
  // Long names get cut by clients anyway; keep the extension when shortening.
  if (cleaned.length <= 200) return cleaned;
  const dot = cleaned.lastIndexOf(".");
  const extension = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : "";
  return cleaned.slice(0, 200 - extension.length) + extension;
}

/** A loop, not /[\s.]+$/: that pattern is quadratic on a long ". . . ." run that does not reach the end. */
function trimDotsAndSpaces(text: string): string {
  const trimmable = (char: string) => char === "." || /\s/.test(char);
  let start = 0;
  let end = text.length;
  while (start < end && trimmable(text[start])) start++;
  while (end > start && trimmable(text[end - 1])) end--;
  return text.slice(start, end);
}

/**
 * Returns why a Content-ID is unusable, or undefined when it is fine. Accepts "id@host" and "<id@host>";
 * the id is printable ASCII without spaces or angle brackets (what msg-id allows, a little more lenient).
 */
export function contentIdProblem(contentId: string): string | undefined {
  const bare = stripAngleBrackets(contentId);
  if (bare === "") return "is empty";
  if (containsLineBreak(bare)) return "contains a line break";
  if (!/^[\x21-\x7e]+$/.test(bare)) return "may only contain printable ASCII characters without spaces";
  if (/[<>]/.test(bare)) return 'may not contain "<" or ">" inside the ID';
  if (bare.length > 250) return "is longer than 250 characters";
  return undefined;
}

export function stripAngleBrackets(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith("<") && trimmed.endsWith(">") ? trimmed.slice(1, -1).trim() : trimmed;
}

/** A header field name is printable ASCII without the colon (RFC 5322 ftext). */
export function isValidHeaderName(name: string): boolean {
  return /^[\x21-\x39\x3b-\x7e]+$/.test(name);
}
