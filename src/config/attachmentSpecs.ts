import * as z from "zod/mini";
import { builtOnFirstUse } from "./builtOnFirstUse";

/** One attachment as the user described it, before any bytes are fetched or decoded. */
export type AttachmentSpec =
  | { type: "url"; origin: string; url: string; fileName?: string }
  | { type: "text"; origin: string; text: string; fileName?: string }
  | { type: "base64"; origin: string; base64: string; fileName?: string; contentType?: string }
  | { type: "custom"; origin: string; content: string; contentType: string; fileName?: string }
  | { type: "mime"; origin: string; mime: unknown };

export type AttachmentKind = AttachmentSpec["type"];

export const ATTACHMENT_KINDS = ["url", "text", "base64", "custom", "mime"] as const;

export interface AttachmentLimits {
  /** Per attachment. */
  maxBytes: number;
  /** All attachments of one mail together. */
  maxTotalBytes: number;
  allowPrivateNetworkUrls: boolean;
}

export const DEFAULT_MAX_ATTACHMENT_MB = 10;
/** The highest Maximum Attachment Size accepted, and the limit for all attachments of one mail together. */
export const MAX_TOTAL_ATTACHMENT_MB = 25;
export const MAX_TOTAL_ATTACHMENT_BYTES = MAX_TOTAL_ATTACHMENT_MB * 1024 * 1024;
/** Attachments per mail (the single attachment and Additional Attachments together). */
export const MAX_ATTACHMENTS = 20;

/** The `extraAttachments` JSON list: each entry one attachment. */
export const extraAttachmentList = builtOnFirstUse(() => {
  const text = z.string().check(z.minLength(1));
  const optionalName = z.optional(z.string().check(z.trim(), z.minLength(1)));
  const extraAttachment = z.discriminatedUnion(
    "type",
    [
      z.object({ type: z.literal("url"), url: text, fileName: optionalName }),
      z.object({ type: z.literal("text"), text: z.string(), fileName: optionalName }),
      z.object({ type: z.literal("base64"), base64: text, fileName: optionalName, contentType: optionalName }),
      z.object({ type: z.literal("custom"), content: z.string(), contentType: text, fileName: optionalName }),
      z.object({ type: z.literal("mime"), mime: z.unknown().check(z.refine((value) => value !== undefined && value !== null && value !== "")) }),
    ],
    { error: `each entry needs "type": one of ${ATTACHMENT_KINDS.join(", ")}` },
  );
  return z.array(extraAttachment, {
    error: 'Additional Attachments (extraAttachments) must be a JSON list, e.g. [{ "type": "text", "text": "hello", "fileName": "a.txt" }].',
  });
});

export function describeExtraAttachmentIssue(issue: z.core.$ZodIssue): string {
  const [index, key] = issue.path;
  if (typeof index !== "number") return issue.message;
  const where = `Additional Attachments (extraAttachments) entry ${index + 1}`;
  if (key === undefined) return `${where}: ${issue.message}.`;
  return `${where} has a missing or invalid "${String(key)}": give it as shown in the field's description.`;
}
