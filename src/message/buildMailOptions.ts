import type Mail from "nodemailer/lib/mailer";
import type { AttachmentSeams } from "../attachments";
import type { AttachmentLimits, AttachmentSpec } from "../config/attachmentSpecs";
import type { MessageConfig } from "../config/sendSmtpEmailConfig";
import type { Deadline } from "../deadline/deadline";
import { sanitizeSubject } from "./headerSafety";
import { htmlToPlainText } from "./plainText";
import { messageIdDomain, messageIdentity } from "./messageIdentity";
import { resolveRecipients, type Recipients } from "./recipients";

export interface MailOptionsContext {
  /** The authenticated user, the sender when no Custom From address is set. */
  defaultFrom?: string;
  deadline: Deadline;
  /** Set by code only, never from node config (tests: trust their file servers on 127.0.0.1). */
  attachmentSeams?: AttachmentSeams;
}

/**
 * Turns the node's message settings and attachments into nodemailer mail options: validated
 * addresses, a header-safe subject, HTML with its images embedded, a plain-text alternative, the
 * priority, threading and custom headers, a calendar invitation, every attachment resolved to bytes,
 * and a fresh Message-ID and MIME boundary. Fails with an SmtpEmailError that names the field at fault
 * before anything is sent.
 */
export async function buildMailOptions(
  message: MessageConfig,
  attachments: AttachmentSpec[],
  limits: AttachmentLimits,
  context: MailOptionsContext,
): Promise<Mail.Options> {
  const ready = readyMailOptions(message, attachments, context.defaultFrom);
  if (ready) return ready;
  const body = readyBody(message) ?? (await messageBody(message));
  // The attachment kinds (and nodemailer's MIME parts that some need) load only for mails that have attachments.
  const files = attachments.length === 0 ? [] : await (await import("../attachments")).prepareAttachments(attachments, limits, context.deadline, context.attachmentSeams);
  const recipients = resolveRecipients(message, context.defaultFrom);
  const mail = composeMailOptions(message, recipients, body, files);
  // A text derived from the HTML once is the same for every later send of this config.
  if (files.length === 0 && body.inlineImages.length === 0) remember(message, context.defaultFrom, recipients, mail);
  return mail;
}

interface RememberedMail {
  defaultFrom: string | undefined;
  mail: Mail.Options;
  /** The fields of `mail` that hold objects or lists: nodemailer may change those, so each copy has its own. */
  nested: NestedField[];
  messageIdDomain: string | undefined;
}

/** Mail options of frozen (remembered) message configs without attachments, per sender login: built once, copied for each send. */
const remembered = new WeakMap<MessageConfig, RememberedMail>();

/**
 * The mail options when they need nothing awaited: a message config built before (frozen, see
 * ValidatedConfigMemo, so it cannot have changed since its addresses were checked), or one without
 * attachments whose text is given. Undefined otherwise. Each call has its own copy and a fresh
 * Message-ID and boundary.
 */
export function readyMailOptions(message: MessageConfig, attachments: AttachmentSpec[], defaultFrom: string | undefined): Mail.Options | undefined {
  if (attachments.length > 0) return undefined;
  const known = remembered.get(message);
  if (known && known.defaultFrom === defaultFrom) return Object.assign(copyOf(known.mail, known.nested), messageIdentity(known.messageIdDomain, message.messageId));
  const body = readyBody(message);
  if (!body) return undefined;
  const recipients = resolveRecipients(message, defaultFrom);
  const mail = composeMailOptions(message, recipients, body, []);
  remember(message, defaultFrom, recipients, mail);
  return mail;
}

function remember(message: MessageConfig, defaultFrom: string | undefined, recipients: Recipients, mail: Mail.Options): void {
  if (!Object.isFrozen(message)) return;
  const nested = NESTED_FIELDS.filter((field) => typeof mail[field] === "object" && mail[field] !== null);
  remembered.set(message, { defaultFrom, mail: copyOf(mail, nested), nested, messageIdDomain: messageIdDomain(recipients.from) });
}

/** The fields of composed mail options that may hold objects or lists. */
const NESTED_FIELDS = ["from", "to", "cc", "bcc", "replyTo", "attachments", "headers", "references", "icalEvent"] as const;
type NestedField = (typeof NESTED_FIELDS)[number];

function copyOf(mail: Mail.Options, nested: readonly NestedField[]): Mail.Options {
  const copy = Object.assign({}, mail) as Record<string, unknown>;
  for (const field of nested) {
    const value = copy[field];
    copy[field] = Array.isArray(value) ? value.map((item: unknown) => (typeof item === "object" && item !== null ? { ...item } : item)) : { ...(value as object) };
  }
  return copy as Mail.Options;
}

function composeMailOptions(message: MessageConfig, recipients: Recipients, body: MessageBody, files: Mail.Attachment[]): Mail.Options {
  return {
    from: recipients.from,
    to: recipients.to,
    ...(recipients.cc.length > 0 ? { cc: recipients.cc } : {}),
    // nodemailer puts Bcc into the envelope only, never into the headers.
    ...(recipients.bcc.length > 0 ? { bcc: recipients.bcc } : {}),
    ...(recipients.replyTo ? { replyTo: recipients.replyTo } : {}),
    subject: sanitizeSubject(message.subject),
    ...messageIdentity(messageIdDomain(recipients.from), message.messageId),
    ...body.content,
    // "normal" needs no header: a mail without priority headers is normal priority.
    ...(message.priority !== "normal" ? { priority: message.priority } : {}),
    ...threading(message),
    ...customHeaderOptions(message),
    // nodemailer adds it twice: a text/calendar alternative (the invitation) and an .ics attachment.
    ...(message.calendar ? { icalEvent: { method: message.calendar.method, content: message.calendar.content, filename: "invite.ics" } } : {}),
    attachments: [...body.inlineImages, ...files],
    // Every content is already resolved to bytes here; nothing in the mail may make nodemailer read
    // a file or fetch a URL on its own (that would bypass the size limit and the address checks).
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

function customHeaderOptions(message: MessageConfig): Pick<Mail.Options, "headers" | "normalizeHeaderKey"> {
  const headers = message.customHeaders ?? [];
  if (headers.length === 0) return {};
  // nodemailer would rewrite "X-Ticket-Id" as "X-Ticket-ID"; help desks that match names exactly get the designer's spelling.
  const spelling = new Map(headers.map(({ key }) => [key.toLowerCase(), key]));
  return {
    // Validated strings only: a { prepared: true } value would bypass nodemailer's encoding.
    headers: headers.map(({ key, value }) => ({ key, value })),
    normalizeHeaderKey: (key: string) => spelling.get(key.toLowerCase()) ?? key,
  };
}

function threading(message: MessageConfig): Pick<Mail.Options, "inReplyTo" | "references"> {
  const { inReplyTo, references = [] } = message.threading ?? {};
  return { ...(inReplyTo ? { inReplyTo } : {}), ...(references.length > 0 ? { references } : {}) };
}

/** "data" also when its colon is an entity (data&colon;); "&#" when its letters are character references. */
const MAY_HOLD_DATA_URL = /data|&#/i;

/** The mail's content, and the images its HTML embeds (as attachments with a Content-ID). */
interface MessageBody {
  content: Pick<Mail.Options, "html" | "text">;
  inlineImages: Mail.Attachment[];
}

/** The body when nothing needs converting or embedding; undefined otherwise. */
function readyBody(message: MessageConfig): MessageBody | undefined {
  // Without HTML there is nothing to offer an alternative to: a plain-text mail.
  if (message.html.trim() === "") return { content: { text: message.text ?? "" }, inlineImages: [] };
  if (message.text === undefined || MAY_HOLD_DATA_URL.test(message.html)) return undefined;
  return { content: { html: message.html, text: message.text }, inlineImages: [] };
}

/** The body readyBody could not build (HTML without its text, or with a possible data URL): converted and embedded. */
async function messageBody(message: MessageConfig): Promise<MessageBody> {
  // Without a data URL there is nothing to embed: the HTML tokenizer need not run (nor even load).
  const embedded = MAY_HOLD_DATA_URL.test(message.html) ? (await import("./inlineImages")).embedDataUrlImages(message.html) : undefined;
  // Always a text part next to the HTML (multipart/alternative): spam filters and text-only clients expect it.
  // The embedding pass has checked the nesting depth already; otherwise the conversion checks it.
  const text = message.text ?? (await htmlToPlainText(message.html, { depthChecked: embedded !== undefined }));
  return { content: { html: embedded?.html ?? message.html, text }, inlineImages: embedded?.attachments ?? [] };
}
