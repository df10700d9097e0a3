import * as z from "zod/mini";
import { transformWithIssues, type ConfigIssues } from "./configIssues";
import { wellKnownService } from "./wellKnownServices";
import {
  DEFAULT_MAX_ATTACHMENT_MB,
  MAX_ATTACHMENTS,
  MAX_TOTAL_ATTACHMENT_BYTES,
  MAX_TOTAL_ATTACHMENT_MB,
  describeExtraAttachmentIssue,
  extraAttachmentList,
  type AttachmentLimits,
  type AttachmentSpec,
} from "./attachmentSpecs";
import { MAX_CONTENT_BYTES, MAX_CONTENT_MB } from "../message/contentLimits";
import { CALENDAR_METHODS, calendarInvite, type CalendarInvite } from "../message/calendarInvite";
import { customHeaders, type CustomHeader } from "../message/customHeaders";
import { ownMessageId, threadingHeaders, type ThreadingHeaders } from "../message/threadingHeaders";
import { parseNodeConfig } from "./parseNodeConfig";
import { addressList, choice, flag, jsonValue, optionalNumber, optionalRawText, optionalText, preprocess } from "./rawValues";
import { storageConfigShape, toStorageConfig, type StorageConfig } from "./storageConfig";
import { toTransportConfig, transportConfigShape, type TransportConfig } from "./transportConfig";

/** An address field as the user gave it: comma-separated text or an array from a CognigyScript expression. */
export type AddressInput = string | unknown[];

export interface MessageConfig {
  to: AddressInput;
  cc?: AddressInput;
  bcc?: AddressInput;
  from?: AddressInput;
  replyTo?: AddressInput;
  subject: string;
  html: string;
  /** The custom plain-text version; generated from `html` when absent. */
  text?: string;
  priority: "high" | "normal" | "low";
  /** In-Reply-To and References, validated and in angle brackets. */
  threading?: ThreadingHeaders;
  customHeaders?: CustomHeader[];
  /** Sent as a text/calendar alternative and as an .ics attachment. */
  calendar?: CalendarInvite;
  /** The mail's own Message-ID ("<id@host>"), when the flow sets it; otherwise a fresh one per send. */
  messageId?: string;
  /** Distinct To, CC and BCC addresses allowed together; undefined (a node saved before the field existed): no limit. */
  maxRecipients?: number;
}

export interface SendSmtpEmailConfig {
  transport: TransportConfig;
  message: MessageConfig;
  attachments: AttachmentSpec[];
  attachmentLimits: AttachmentLimits;
  storage: StorageConfig;
  stopOnError: boolean;
  async: boolean;
}

const rawSendSmtpEmailConfig = z.object({
  ...transportConfigShape,
  to: addressList("Recipient TO Email Addresses (to)"),
  subject: optionalText("Email Subject (subject)"),
  content: optionalRawText("Email Content (content)"),
  attachmentType: choice("Attachment (attachmentType)", ["none", "url", "text", "base64", "custom", "mime"] as const, "none"),
  attachmentUrl: optionalText("Attachment URL (attachmentUrl)"),
  attachmentFileName: optionalText("Attachment File Name (attachmentFileName)"),
  attachmentText: optionalRawText("Attachment Content (attachmentText)"),
  attachmentBase64: optionalRawText("Base64 Content (attachmentBase64)"),
  attachmentContentType: optionalText("Attachment MIME Type (attachmentContentType)"),
  attachmentMime: z.optional(z.unknown()),
  from: addressList("Custom From Email Address (from)"),
  cc: addressList("CC Email Addresses (cc)"),
  bcc: addressList("BCC Email Addresses (bcc)"),
  maxRecipients: optionalNumber("Maximum Recipients (maxRecipients)"),
  replyTo: addressList("Reply To Address (replyTo)"),
  text: optionalRawText("Custom Plain-Text Content (text)"),
  priority: choice("Email Priority (priority)", ["high", "normal", "low"] as const, "normal"),
  async: flag(false),
  inReplyTo: optionalText("In Reply To (inReplyTo)"),
  messageId: optionalText("Message-ID (messageId)"),
  // Text or, from a CognigyScript expression, a list; threadingHeaders checks the type.
  references: preprocess((value) => (value === null || (typeof value === "string" && value.trim() === "") ? undefined : value), z.optional(z.unknown())),
  customHeaders: jsonValue("Custom Headers (customHeaders)"),
  calendarEvent: optionalRawText("Calendar Invite (calendarEvent)"),
  calendarMethod: choice("Calendar Method (calendarMethod)", CALENDAR_METHODS, "REQUEST"),
  extraAttachments: jsonValue("Additional Attachments (extraAttachments)"),
  maxAttachmentSizeMb: optionalNumber("Maximum Attachment Size (maxAttachmentSizeMb)"),
  allowPrivateNetworkUrls: flag(false),
  ...storageConfigShape("none"),
  stopOnError: flag(false),
});

type RawSendConfig = z.output<typeof rawSendSmtpEmailConfig>;

const sendSmtpEmailConfigSchema = z.pipe(rawSendSmtpEmailConfig, transformWithIssues((raw: RawSendConfig, ctx): SendSmtpEmailConfig => {
  if (raw.to === undefined || (Array.isArray(raw.to) && raw.to.length === 0)) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "Recipient TO Email Addresses is empty: enter at least one address, e.g. jane@example.com." });
  }
  if (raw.subject === undefined) {
    ctx.addIssue({ code: "custom", path: ["subject"], message: "Email Subject is empty: enter a subject line." });
  }
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (raw.maxRecipients !== undefined && (!Number.isInteger(raw.maxRecipients) || raw.maxRecipients < 1)) {
    issue("maxRecipients", `Maximum Recipients ${raw.maxRecipients} is not a count of recipients: enter a whole number of 1 or more, e.g. 50, or 1 when To comes from what the user typed.`);
  }
  const maxMb = raw.maxAttachmentSizeMb ?? DEFAULT_MAX_ATTACHMENT_MB;
  if (maxMb <= 0) {
    ctx.addIssue({ code: "custom", path: ["maxAttachmentSizeMb"], message: "Maximum Attachment Size must be more than 0 MB, e.g. 10." });
  } else if (maxMb > MAX_TOTAL_ATTACHMENT_MB) {
    ctx.addIssue({
      code: "custom",
      path: ["maxAttachmentSizeMb"],
      message: `Maximum Attachment Size is ${maxMb} MB, above the highest allowed ${MAX_TOTAL_ATTACHMENT_MB} MB (also the limit for all attachments of one mail): enter at most ${MAX_TOTAL_ATTACHMENT_MB}.`,
    });
  }
  for (const [field, label, value] of [["content", "Email Content", raw.content], ["text", "Custom Plain-Text Content", raw.text]] as const) {
    // Measured in characters first: a string that long cannot be smaller in UTF-8, and counting bytes costs a pass.
    if (value !== undefined && (value.length > MAX_CONTENT_BYTES || Buffer.byteLength(value, "utf8") > MAX_CONTENT_BYTES)) {
      ctx.addIssue({
        code: "custom",
        path: [field],
        message: `${label} is larger than ${MAX_CONTENT_MB} MB, the most a mail body may have: shorten it, and attach large content as a file instead of putting it into the body (images as URL or Base64 attachments rather than data URLs).`,
      });
    }
  }
  const attachments = [...singleAttachment(raw, ctx), ...extraAttachments(raw.extraAttachments, ctx)];
  if (attachments.length > MAX_ATTACHMENTS) {
    ctx.addIssue({
      code: "custom",
      path: ["extraAttachments"],
      message: `The mail has ${attachments.length} attachments, more than the ${MAX_ATTACHMENTS} allowed per mail (the single Attachment and Additional Attachments together): send fewer, or put them into one archive.`,
    });
  }
  return {
    transport: toTransportConfig(raw, ctx, (name) => wellKnownService(name) !== false),
    message: {
      to: raw.to ?? "",
      cc: raw.cc,
      bcc: raw.bcc,
      from: raw.from,
      replyTo: raw.replyTo,
      subject: raw.subject ?? "",
      html: raw.content ?? "",
      text: raw.text,
      priority: raw.priority,
      threading: threadingHeaders(raw.inReplyTo, raw.references, issue),
      customHeaders: customHeaders(raw.customHeaders, (message) => issue("customHeaders", message)),
      calendar: calendarInvite(raw.calendarEvent, raw.calendarMethod, issue),
      ...(raw.maxRecipients !== undefined && { maxRecipients: raw.maxRecipients }),
      ...optionalMessageId(ownMessageId(raw.messageId, issue)),
    },
    attachments,
    attachmentLimits: {
      maxBytes: Math.round(maxMb * 1024 * 1024),
      maxTotalBytes: MAX_TOTAL_ATTACHMENT_BYTES,
      allowPrivateNetworkUrls: raw.allowPrivateNetworkUrls,
    },
    storage: toStorageConfig(raw, ctx, "smtpResult"),
    stopOnError: raw.stopOnError,
    async: raw.async,
  };
}));

function optionalMessageId(messageId: string | undefined): { messageId?: string } {
  return messageId === undefined ? {} : { messageId };
}

function singleAttachment(raw: RawSendConfig, ctx: ConfigIssues): AttachmentSpec[] {
  const origin = "Attachment";
  const fileName = raw.attachmentFileName;
  const need = (value: string | undefined, field: string, message: string): value is string => {
    if (value !== undefined) return true;
    ctx.addIssue({ code: "custom", path: [field], message });
    return false;
  };
  switch (raw.attachmentType) {
    case "none":
      return [];
    case "url":
      return need(raw.attachmentUrl, "attachmentUrl", "Attachment URL is empty: enter an http(s) URL or a data URL, or choose No Attachment.")
        ? [{ type: "url", origin, url: raw.attachmentUrl, fileName }]
        : [];
    case "text":
      return [{ type: "text", origin, text: raw.attachmentText ?? "", fileName }];
    case "base64":
      return need(raw.attachmentBase64, "attachmentBase64", "Base64 Content is empty: paste the Base64-encoded file, or choose No Attachment.")
        ? [{ type: "base64", origin, base64: raw.attachmentBase64, fileName, contentType: raw.attachmentContentType }]
        : [];
    case "custom":
      return need(raw.attachmentContentType, "attachmentContentType", "Attachment MIME Type is empty: a custom content attachment needs one, e.g. text/csv.")
        ? [{ type: "custom", origin, content: raw.attachmentText ?? "", contentType: raw.attachmentContentType, fileName }]
        : [];
    case "mime": {
      const mime = raw.attachmentMime;
      // The JSON editor's empty state is {} rather than nothing.
      const empty = mime === undefined || mime === null || (typeof mime === "string" && mime.trim() === "") || (typeof mime === "object" && !Array.isArray(mime) && Object.keys(mime).length === 0);
      if (empty) {
        ctx.addIssue({ code: "custom", path: ["attachmentMime"], message: 'Pregenerated MIME Part is empty: enter "{{input.mimePart}}", with the quotes, to attach what a Build MIME node stored.' });
        return [];
      }
      return [{ type: "mime", origin, mime }];
    }
  }
}

function extraAttachments(value: unknown, ctx: ConfigIssues): AttachmentSpec[] {
  if (value === undefined) return [];
  const result = extraAttachmentList().safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    ctx.addIssue({ code: "custom", path: ["extraAttachments"], message: issue ? describeExtraAttachmentIssue(issue) : "extraAttachments is invalid." });
    return [];
  }
  return result.data.map((entry, index) => ({ ...entry, origin: `extraAttachments[${index}]` }));
}

export function parseSendSmtpEmailConfig(raw: unknown): SendSmtpEmailConfig {
  return parseNodeConfig(sendSmtpEmailConfigSchema, raw, "Send SMTP Email");
}
