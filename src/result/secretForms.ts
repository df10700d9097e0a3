/**
 * The shapes in which a secret travels on the wire and so may come back in a server's reply: as typed,
 * percent-, form- and JSON-encoded, and in Base64, alone or inside a longer Base64 blob (an AUTH PLAIN
 * payload, an XOAUTH2 string, an HTTP Basic header).
 */

/**
 * A Base64 core shorter than this is not searched for on its own: a few characters would match
 * ordinary text. Short secrets are still caught in the exact payloads they travel in.
 */
const MIN_CORE_CHARS = 8;

/** The secret as typed and in the text encodings a server or endpoint may quote it in. */
export function textForms(secret: string): string[] {
  const percent = encodeURIComponent(secret);
  const form = formEncode(secret);
  const json = JSON.stringify(secret).slice(1, -1);
  // Some serializers escape everything beyond ASCII as \uXXXX.
  const asciiJson = json.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return [secret, percent, lowerHex(percent), form, lowerHex(form), json, asciiJson];
}

/** application/x-www-form-urlencoded, as RFC 6749 wants client id and secret inside an HTTP Basic header. */
export function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/**
 * Base64 (standard and URL alphabet) of `value`, once as a whole and once for each of the three byte
 * offsets it may sit at inside a longer blob. Inside a blob, the first and last characters also carry
 * bits of the neighbouring bytes, so only the stable middle (the core) can be searched for.
 */
export function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const whole = bytes.toString("base64");
  const forms = [whole, whole.replace(/=+$/, "")];
  for (let offset = 0; offset < 3; offset++) {
    const core = base64Core(bytes, offset);
    if (core.length >= MIN_CORE_CHARS) forms.push(core);
  }
  return forms.flatMap((form) => [form, toBase64Url(form)]);
}

/** The characters of Base64 that depend on `bytes` alone when they start `offset` bytes into a 3-byte group. */
function base64Core(bytes: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
  const first = Math.ceil((8 * offset) / 6);
  const end = Math.floor((8 * (offset + bytes.length)) / 6);
  return end > first ? encoded.slice(first, end) : "";
}

function toBase64Url(base64: string): string {
  return base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function lowerHex(encoded: string): string {
  return encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
}
