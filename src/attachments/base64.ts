export type Base64Result = { ok: true; bytes: Buffer } | { ok: false; problem: string };

/**
 * Strict Base64 decoding. Node's decoder silently skips anything outside the alphabet and stops at
 * stray padding, which would attach a corrupt file without a word; this decoder refuses instead.
 * Line breaks and other whitespace are ignored (pasted Base64 is usually wrapped), and the URL-safe
 * alphabet (RFC 4648 §5, "-" and "_") is accepted because several APIs hand files out that way; mixing
 * both alphabets in one value is not.
 */
export function decodeBase64Strict(input: string): Base64Result {
  const compact = input.replace(/\s+/g, "");
  if (compact === "") return { ok: false, problem: "it is empty" };
  const firstPad = compact.indexOf("=");
  const body = firstPad < 0 ? compact : compact.slice(0, firstPad);
  const padding = firstPad < 0 ? "" : compact.slice(firstPad);

  const bad = /[^A-Za-z0-9+/_-]/.exec(body);
  if (bad) {
    return { ok: false, problem: `the character ${JSON.stringify(bad[0])} at position ${positionInInput(input, bad.index)} is not part of the Base64 alphabet` };
  }
  const standard = /[+/]/.test(body);
  const urlSafe = /[-_]/.test(body);
  if (standard && urlSafe) return { ok: false, problem: 'it mixes the standard ("+", "/") and URL-safe ("-", "_") alphabets' };
  if (!/^={1,2}$/.test(padding) && padding !== "") return { ok: false, problem: '"=" padding may only appear once or twice, at the very end' };
  if (body.length % 4 === 1) return { ok: false, problem: "its length does not fit Base64 (it looks cut off or has a character too many)" };
  if (padding !== "" && (body.length + padding.length) % 4 !== 0) {
    return { ok: false, problem: "its padding does not match its length (it looks cut off or has a character too many)" };
  }
  return { ok: true, bytes: Buffer.from(body, urlSafe ? "base64url" : "base64") };
}

/** 1-based position in what the user typed, so the error points at the right spot despite whitespace. */
function positionInInput(input: string, compactIndex: number): number {
  let seen = 0;
  for (let i = 0; i < input.length; i++) {
    if (/\s/.test(input.charAt(i))) continue;
    if (seen === compactIndex) return i + 1;
    seen++;
  }
  return compactIndex + 1;
}
