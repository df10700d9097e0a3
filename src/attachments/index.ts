import type Mail from "nodemailer/lib/mailer";
import type { AttachmentLimits, AttachmentSpec } from "../config/attachmentSpecs";
import type { Deadline } from "../deadline/deadline";
import { overBudgetError, type AttachmentContext } from "./attachmentContext";
import { ByteBudget } from "./byteBudget";
import { base64Attachment } from "./base64Attachment";
import { customAttachment } from "./customAttachment";
import { mimeAttachment } from "./mimeAttachment";
import { textAttachment } from "./textAttachment";
import type { UrlAttachmentOptions } from "./urlAttachment";

export type { AttachmentContext } from "./attachmentContext";
export type { MimePartValue, MimePartInput } from "./mimePart";
export { buildMimePart } from "./mimePart";
export { decodeBase64Strict } from "./base64";
export { ByteBudget } from "./byteBudget";
export { addressRefusal, classifyAddress, classifyHostname, createGuardedLookup, hostnameRefusal, type NetworkPolicy } from "./networkGuard";
export type { UrlAttachmentOptions } from "./urlAttachment";

/** Set by code only, never from node config: see UrlAttachmentOptions. */
export type AttachmentSeams = Omit<UrlAttachmentOptions, "signal">;

/** Turns one attachment spec into what nodemailer attaches; each kind lives in its own file. */
export async function prepareAttachment(spec: AttachmentSpec, context: AttachmentContext, options: UrlAttachmentOptions = {}): Promise<Mail.Attachment> {
  // URL attachments count their bytes against the budget as they arrive; the others are counted here.
  if (spec.type === "url") {
    // Downloading needs http, https, dns and the network guard: loaded only by sends that download.
    const { urlAttachment } = await import("./urlAttachment");
    return urlAttachment(spec, context, options);
  }
  const attachment = preparedInMemory(spec);
  if (!context.budget.take(sizeOf(attachment))) throw overBudgetError(spec, context.budget.limit);
  return attachment;
}

function preparedInMemory(spec: Exclude<AttachmentSpec, { type: "url" }>): Mail.Attachment {
  switch (spec.type) {
    case "text":
      return textAttachment(spec);
    case "base64":
      return base64Attachment(spec);
    case "custom":
      return customAttachment(spec);
    case "mime":
      return mimeAttachment(spec);
    default:
      return unknownKind(spec);
  }
}

function sizeOf(attachment: Mail.Attachment): number {
  const body: unknown = attachment.raw ?? attachment.content;
  if (Buffer.isBuffer(body)) return body.length;
  return typeof body === "string" ? Buffer.byteLength(body, "utf8") : 0;
}

function unknownKind(spec: never): never {
  throw new Error(`Unknown attachment kind: ${JSON.stringify(spec)}`);
}

/**
 * Prepares all attachments at once (downloads run in parallel) and keeps their order. The first
 * failure wins and aborts the downloads still running, so a doomed send does not use up the budget.
 */
export async function prepareAttachments(
  specs: AttachmentSpec[],
  limits: AttachmentLimits,
  deadline: Deadline,
  options: AttachmentSeams = {},
): Promise<Mail.Attachment[]> {
  if (specs.length === 0) return [];
  deadline.check("preparing the attachments");
  const batch = new AbortController();
  const context: AttachmentContext = { limits, deadline, budget: new ByteBudget(limits.maxTotalBytes) };
  try {
    return await Promise.all(
      specs.map((spec) =>
        prepareAttachment(spec, context, { ...options, signal: batch.signal }).catch((error: unknown) => {
          batch.abort();
          throw error;
        }),
      ),
    );
  } finally {
    batch.abort();
  }
}
