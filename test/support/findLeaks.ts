/**
 * Finds test secrets in transcripts, also when they were encoded on the way: every transcript is
 * decoded (JSON escapes, percent- and form-encoding, every Base64-looking run at each of its four
 * character offsets), and the decodings are decoded again, a few layers deep, before the search.
 * So a password inside the Base64 of an AUTH PLAIN payload, or a client secret form-encoded inside
 * the Base64 of an HTTP Basic header inside a JSON string, is found.
 */

/** Enough for the deepest real chain: JSON string → Base64 → form-encoding. */
const LAYERS = 3;

/** Shorter runs decode to two or three bytes, which cannot hold a secret's form. */
const MIN_BASE64_RUN = 6;

/** The secrets that occur in any of the transcripts in any encoding, each reported once. */
export function findLeaks(transcripts: string[], secrets: string[]): string[] {
  const texts = transcripts.flatMap((transcript) => decodings(transcript));
  return secrets.filter((secret) => {
    // Decoded bytes are kept as latin1 text, one character per byte: search for the UTF-8 bytes too.
    const forms = [secret, Buffer.from(secret, "utf8").toString("latin1")];
    return texts.some((text) => forms.some((form) => text.includes(form)));
  });
}

/** The text and everything it decodes to, layer after layer. */
export function decodings(text: string): string[] {
  const seen = new Set<string>([text]);
  let layer = [text];
  for (let depth = 0; depth < LAYERS && layer.length > 0; depth++) {
    const next: string[] = [];
    for (const item of layer) {
      for (const decoded of decodeOnce(item)) {
        if (!seen.has(decoded)) {
          seen.add(decoded);
          next.push(decoded);
        }
      }
    }
    layer = next;
  }
  return [...seen];
}

function decodeOnce(text: string): string[] {
  const out: string[] = [];
  if (text.includes("\\")) out.push(jsonUnescape(text));
  if (text.includes("%")) out.push(percentDecode(text));
  if (text.includes("+")) out.push(percentDecode(text.replace(/\+/g, " ")));
  out.push(...base64Decodings(text));
  return out;
}

function jsonUnescape(text: string): string {
  const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
  return text.replace(/\\(u[0-9a-fA-F]{4}|["\\/bfnrt])/g, (_match, escape: string) =>
    escape.length === 5 ? String.fromCharCode(parseInt(escape.slice(1), 16)) : simple[escape] ?? escape,
  );
}

/** Runs of %XX become their bytes, as latin1 characters. */
function percentDecode(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ""), "hex").toString("latin1"));
}

/**
 * One decoding per character offset (0 to 3): a run quoted from the middle of a blob, or glued to
 * other Base64-alphabet text, starts at any offset. Each holds all the runs' bytes, as latin1 text.
 */
function base64Decodings(text: string): string[] {
  const runs = text.match(new RegExp(`[A-Za-z0-9+/_-]{${MIN_BASE64_RUN},}`, "g")) ?? [];
  if (runs.length === 0) return [];
  return [0, 1, 2, 3].map((offset) =>
    runs
      .map((run) => Buffer.from(run.slice(offset).replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("latin1"))
      .join("\n"),
  );
}
