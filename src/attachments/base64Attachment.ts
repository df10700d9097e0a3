import type Mail from "nodemailer/lib/mailer";
import type { AttachmentSpec } from "../config/attachmentSpecs";
import { attachmentError } from "./attachmentContext";
import { decodeBase64Strict } from "./base64";
import { OCTET_STREAM, contentTypeForName, defaultFileName, normalizeContentType } from "./contentType";
import { parseDataUrl } from "./dataUrl";
import { sanitizeFileName } from "./fileName";

type Base64Spec = Extract<AttachmentSpec, { type: "base64" }>;

/**
 * A file given as Base64. Invalid Base64 fails with a clear error instead of attaching corrupt bytes.
 * A whole data URL pasted into the field is accepted too (a common copy-paste result).
 */
export function base64Attachment(spec: Base64Spec): Mail.Attachment {
  const explicitType = spec.contentType === undefined ? undefined : validType(spec);
  const fileName = sanitizeFileName(spec.fileName);
  const { bytes, embeddedType } = decode(spec);
  const contentType = explicitType ?? contentTypeForName(fileName) ?? embeddedType ?? OCTET_STREAM;
  return {
    filename: fileName ?? defaultFileName("attachment", contentType, "bin"),
    content: bytes,
    contentType,
  };
}

function decode(spec: Base64Spec): { bytes: Buffer; embeddedType?: string } {
  const value = spec.base64.trim();
  if (/^data:/i.test(value)) {
    const parsed = parseDataUrl(value);
    if (!parsed.ok) throw invalid(spec, `the data URL is invalid: ${parsed.problem}`);
    return { bytes: parsed.bytes, embeddedType: parsed.contentType };
  }
  const decoded = decodeBase64Strict(value);
  if (!decoded.ok) throw invalid(spec, `the Base64 content is invalid: ${decoded.problem}`);
  return { bytes: decoded.bytes };
}

function validType(spec: Base64Spec): string {
  const normalized = normalizeContentType(spec.contentType ?? "");
  if (normalized) return normalized;
  throw attachmentError(
    spec,
    `the MIME type ${JSON.stringify(spec.contentType)} is not a valid type/subtype.`,
    "Enter it as type/subtype, e.g. application/pdf or image/png, or leave it empty to derive it from the file name.",
    "attachmentContentType",
  );
}

function invalid(spec: Base64Spec, problem: string) {
  return attachmentError(
    spec,
    `${problem}. Nothing was attached, to avoid sending a corrupt file.`,
    "Check that the value was not cut off or altered: only A–Z, a–z, 0–9, + and / (or - and _) with = padding at the end are allowed; spaces and line breaks are ignored.",
  );
}
