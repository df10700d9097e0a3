import type { AttachmentLimits, AttachmentSpec } from "../config/attachmentSpecs";
import { MAX_TOTAL_ATTACHMENT_MB } from "../config/attachmentSpecs";
import { SmtpEmailError } from "../errors/SmtpEmailError";
import type { Deadline } from "../deadline/deadline";
import type { ByteBudget } from "./byteBudget";

/** What every attachment kind may need besides its spec. */
export interface AttachmentContext {
  limits: AttachmentLimits;
  deadline: Deadline;
  /** What all attachments of this mail may still take together. */
  budget: ByteBudget;
}

/** The node field an attachment came from: its own field for the single attachment, else the JSON list. */
const SINGLE_ATTACHMENT_FIELD: Record<AttachmentSpec["type"], string> = {
  url: "attachmentUrl",
  text: "attachmentText",
  base64: "attachmentBase64",
  custom: "attachmentContentType",
  mime: "attachmentMime",
};

export function attachmentField(spec: Pick<AttachmentSpec, "type" | "origin">, field?: string): string {
  if (spec.origin.startsWith("extraAttachments")) return "extraAttachments";
  return field ?? SINGLE_ATTACHMENT_FIELD[spec.type];
}

/** An "attachment" error whose message starts with where the attachment came from. */
export function attachmentError(spec: Pick<AttachmentSpec, "type" | "origin">, message: string, hint: string, field?: string): SmtpEmailError {
  return new SmtpEmailError("attachment", `${spec.origin}: ${message}`, hint, { field: attachmentField(spec, field) });
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** The error when the attachments of one mail together pass the total limit. */
export function overBudgetError(spec: Pick<AttachmentSpec, "type" | "origin">, limit: number): SmtpEmailError {
  return attachmentError(
    spec,
    `all attachments of this mail together would be larger than ${formatBytes(limit)}, so it was not attached (the limit is ${MAX_TOTAL_ATTACHMENT_MB} MB per mail).`,
    "Attach fewer or smaller files, or send links to large files instead. Many mail servers refuse messages over 10–25 MB anyway.",
  );
}
