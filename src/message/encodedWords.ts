/**
 * RFC 2047 encoded words ("=?utf-8?Q?caf=C3=A9?="), decoded the way mail clients decode them. A value
 * that already looks like one is passed through by nodemailer as it is, so what the recipient sees is
 * its decoded form: that is what must be checked, not the text as given.
 */

/** Charset (with an optional RFC 2231 "*language"), Q or B, text; no part can contain "?", so no backtracking. */
const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

interface Word {
  start: number;
  end: number;
  charset: string;
  bytes: Buffer;
}

/**
 * Decodes every encoded word with a charset Node's TextDecoder knows; others stay as they are.
 * Whitespace between two encoded words is dropped (RFC 2047 section 6.2), and adjacent words in the
 * same charset are decoded together, so a character split across two words survives.
 */
export function decodeEncodedWords(text: string): string {
  if (!text.includes("=?")) return text;
  const words: Word[] = [];
  for (const match of text.matchAll(ENCODED_WORD)) {
    const charset = match[1].split("*")[0].toLowerCase();
    if (!knownCharset(charset)) continue;
    const start = match.index;
    words.push({ start, end: start + match[0].length, charset, bytes: match[2].toUpperCase() === "B" ? Buffer.from(match[3], "base64") : qBytes(match[3]) });
  }
  let out = "";
  let copiedTo = 0;
  for (let i = 0; i < words.length; ) {
    // A run of words joined only by whitespace, in one charset, decodes as one byte sequence.
    let last = i;
    while (last + 1 < words.length && words[last + 1].charset === words[i].charset && /^\s*$/.test(text.slice(words[last].end, words[last + 1].start))) last++;
    const previous = words[i - 1];
    const gap = text.slice(copiedTo, words[i].start);
    out += previous && previous.end === copiedTo && /^\s*$/.test(gap) ? "" : gap;
    out += new TextDecoder(words[i].charset).decode(Buffer.concat(words.slice(i, last + 1).map((word) => word.bytes)));
    copiedTo = words[last].end;
    i = last + 1;
  }
  return out + text.slice(copiedTo);
}

/** Q encoding: "_" is a space, "=XX" a byte, anything else stands for itself. */
function qBytes(encoded: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const char = encoded[i];
    if (char === "_") bytes.push(0x20);
    else if (char === "=" && /^[0-9A-Fa-f]{2}$/.test(encoded.slice(i + 1, i + 3))) {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(char.charCodeAt(0) & 0xff);
  }
  return Buffer.from(bytes);
}

function knownCharset(charset: string): boolean {
  try {
    new TextDecoder(charset);
    return true;
  } catch {
    return false;
  }
}
