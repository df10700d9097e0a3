import { decodeBase64Strict } from "./base64";
import { normalizeContentType } from "./contentType";

export type DataUrlResult = { ok: true; contentType: string; bytes: Buffer } | { ok: false; problem: string };

/**
 * Decodes a data URL (RFC 2397): data:[<media type>][;base64],<data>. Base64 payloads go through the
 * strict decoder, others are percent-decoded byte by byte (so non-UTF-8 bytes survive).
 */
export function parseDataUrl(url: string): DataUrlResult {
  if (!/^data:/i.test(url)) return { ok: false, problem: 'it does not start with "data:"' };
  const comma = url.indexOf(",");
  if (comma < 0) return { ok: false, problem: 'it has no "," between the media type and the data' };
  const header = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  const isBase64 = /;base64$/i.test(header);
  const mediaType = (isBase64 ? header.slice(0, -";base64".length) : header).trim();

  let contentType = "text/plain; charset=US-ASCII";
  if (mediaType !== "" && !mediaType.startsWith(";")) {
    const normalized = normalizeContentType(decodeURIComponentSafe(mediaType));
    if (!normalized) return { ok: false, problem: `its media type ${JSON.stringify(mediaType)} is not a valid MIME type` };
    contentType = normalized;
  }

  if (isBase64) {
    const decoded = decodeBase64Strict(decodeURIComponentSafe(payload));
    return decoded.ok ? { ok: true, contentType, bytes: decoded.bytes } : { ok: false, problem: `its Base64 data is invalid: ${decoded.problem}` };
  }
  const bytes = percentDecode(payload);
  return bytes ? { ok: true, contentType, bytes } : { ok: false, problem: 'it contains a "%" that is not followed by two hex digits' };
}

function percentDecode(text: string): Buffer | undefined {
  const raw = Buffer.from(text, "utf8");
  const out = Buffer.alloc(raw.length);
  let length = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i] ?? 0;
    if (byte !== 0x25) {
      out[length++] = byte;
      continue;
    }
    const hex = raw.subarray(i + 1, i + 3).toString("latin1");
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
    out[length++] = parseInt(hex, 16);
    i += 2;
  }
  return out.subarray(0, length);
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
