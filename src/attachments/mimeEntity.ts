import { parseHeaderValue } from "nodemailer/lib/mime-funcs";
import { stripAngleBrackets } from "../message/headerSafety";

/** A raw MIME entity (headers, blank line, encoded body) checked to be safe to splice into a mail. */
export interface MimeEntity {
  /** The entity with CRLF line endings, ready for nodemailer's `raw` attachment option. */
  raw: string;
  /** Content-Type as written, e.g. "text/calendar; charset=utf-8". */
  contentType: string;
  /** Content-ID without angle brackets. */
  contentId?: string;
  disposition?: string;
}

export type MimeEntityResult = { ok: true; entity: MimeEntity } | { ok: false; problem: string };

const HEADER_LINE = /^([\x21-\x39\x3b-\x7e]+):(.*)$/;

/**
 * Parses and checks a raw entity. It goes into the mail byte for byte, so it must already be what SMTP
 * can carry: 7-bit ASCII, lines of at most 998 characters, a header block and a blank line. Anything
 * else is refused rather than repaired, since a silent repair could change the content.
 */
export function parseMimeEntity(input: string): MimeEntityResult {
  const raw = input.replace(/\r\n|\r|\n/g, "\r\n").replace(/^(?:\r\n)+/, "");
  const nonAscii = /[^\x01-\x7f]/.exec(raw);
  if (nonAscii) {
    return { ok: false, problem: `it contains the character ${JSON.stringify(nonAscii[0])}, but a raw MIME part must be 7-bit ASCII with its body Base64 or quoted-printable encoded` };
  }
  const separator = raw.indexOf("\r\n\r\n");
  if (separator < 0) return { ok: false, problem: "it has no blank line between the headers and the body" };
  const lines = raw.split("\r\n");
  const longLine = lines.findIndex((line) => line.length > 998);
  if (longLine >= 0) return { ok: false, problem: `line ${longLine + 1} is longer than the 998 characters SMTP allows` };

  const headers: Array<{ key: string; value: string }> = [];
  const headerLines = raw.slice(0, separator).split("\r\n");
  for (const [index, line] of headerLines.entries()) {
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last.value += line;
      continue;
    }
    const match = HEADER_LINE.exec(line);
    if (!match) return { ok: false, problem: `line ${index + 1} (${JSON.stringify(line.slice(0, 60))}) is not a "Name: value" header` };
    headers.push({ key: (match[1] ?? "").toLowerCase(), value: (match[2] ?? "").trim() });
  }
  const header = (key: string) => headers.find((entry) => entry.key === key)?.value;
  const contentType = header("content-type");
  if (!contentType) return { ok: false, problem: "it has no Content-Type header" };
  const contentId = header("content-id");
  const disposition = header("content-disposition");
  return {
    ok: true,
    entity: {
      raw,
      contentType,
      ...(contentId ? { contentId: stripAngleBrackets(contentId) } : {}),
      ...(disposition ? { disposition: parseHeaderValue(disposition).value.toLowerCase() } : {}),
    },
  };
}
