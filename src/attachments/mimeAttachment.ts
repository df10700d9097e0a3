import type Mail from "nodemailer/lib/mailer";
import type { AttachmentSpec } from "../config/attachmentSpecs";
import { attachmentError } from "./attachmentContext";
import { essence } from "./contentType";
import { parseMimeEntity } from "./mimeEntity";

type MimeSpec = Extract<AttachmentSpec, { type: "mime" }>;

const HINT =
  'Point it at what a Build MIME node stored: "{{input.mimePart}}" (the object), "{{input.mimePart.raw}}" (the raw MIME part: headers, blank line, encoded body) or the object\'s JSON text.';

/**
 * CognigyScript in a text field always yields text, so an object becomes "[object Object]". What works
 * instead depends on where the part was referenced.
 */
function objectAsTextHint(spec: MimeSpec): string {
  if (spec.origin.startsWith("extraAttachments")) {
    return 'In Additional Attachments write the entry as { "type": "mime", "mime": "{{input.mimePart}}" }, with nothing else inside the quotes so the object arrives intact, or use "mime": "{{input.mimePart.raw}}".';
  }
  return 'Enter "{{input.mimePart}}", with the quotes, into the Pregenerated MIME Part JSON field so the object arrives intact, or "{{input.mimePart.raw}}" for the raw MIME text. A text field (or text around the expression) turns the object into "[object Object]".';
}

/**
 * A part a Build MIME node produced, spliced into the mail unchanged through nodemailer's `raw`
 * option. Accepts the stored object, its JSON text, or the raw entity itself.
 */
export function mimeAttachment(spec: MimeSpec): Mail.Attachment {
  const raw = rawEntity(spec, spec.mime);
  const parsed = parseMimeEntity(raw);
  if (!parsed.ok) throw attachmentError(spec, `the MIME part cannot be used: ${parsed.problem}.`, HINT);
  const { entity } = parsed;
  return {
    raw: entity.raw,
    // Only steer nodemailer's placement: the raw entity carries its own headers.
    contentType: essence(entity.contentType),
    filename: false,
    contentDisposition: entity.disposition === "inline" ? "inline" : "attachment",
    // With a Content-ID the part joins the HTML in multipart/related, where cid: references resolve.
    ...(entity.contentId ? { cid: entity.contentId } : {}),
  };
}

function rawEntity(spec: MimeSpec, value: unknown): string {
  if (typeof value === "string") {
    const text = value.trim();
    if (/^\[object \w+\]$/.test(text)) {
      throw attachmentError(spec, `received the text ${JSON.stringify(text)} instead of the MIME part: the object was turned into text on the way.`, objectAsTextHint(spec));
    }
    if (!text.startsWith("{")) return value;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw attachmentError(spec, "the value starts with \"{\" but is not valid JSON.", HINT);
    }
    return fromObject(spec, parsed);
  }
  return fromObject(spec, value);
}

function fromObject(spec: MimeSpec, value: unknown): string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw attachmentError(spec, `expected a MIME part but got ${Array.isArray(value) ? "a list" : typeof value}.`, HINT);
  }
  const { type, raw, success, error } = value as { type?: unknown; raw?: unknown; success?: unknown; error?: { message?: unknown } };
  if (success === false) {
    const reason = typeof error?.message === "string" ? error.message : "no reason given";
    throw attachmentError(spec, `the Build MIME node that should have produced it failed: ${reason}`, "Fix the Build MIME node's settings; its log line says what was wrong.");
  }
  if (type !== undefined && type !== "mimePart") {
    throw attachmentError(spec, `the object has "type": ${JSON.stringify(type)}, not "mimePart", so it is not what Build MIME stores.`, HINT);
  }
  if (typeof raw !== "string" || raw.trim() === "") {
    throw attachmentError(spec, 'the object has no "raw" text with the MIME part.', HINT);
  }
  return raw;
}
