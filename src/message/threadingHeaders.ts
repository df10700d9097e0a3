import { containsLineBreak } from "./headerSafety";

/**
 * In-Reply-To and References: what mail clients use to put a reply into the conversation it answers
 * (RFC 5322 section 3.6.4). Both carry Message-IDs, written as <id-left@id-right>.
 */

export interface ThreadingHeaders {
  /** "<id@host>", or undefined when the mail starts a new conversation. */
  inReplyTo?: string;
  /** Each "<id@host>", oldest first; empty when there is nothing to thread. */
  references: string[];
}

type IdField = "inReplyTo" | "references" | "messageId";
type Report = (field: IdField, message: string) => void;

const MAX_ID_LENGTH = 500;
const MAX_REFERENCES = 100;
// RFC 5322 atext plus ".": what the dot-atom-text of id-left and id-right is made of. Dots are not
// checked for position; some mailers write ".." and clients accept it.
const ATOM = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~.]+";
const MESSAGE_ID = new RegExp(`^${ATOM}@(?:${ATOM}|\\[[\\x21-\\x5a\\x5e-\\x7e]*\\])$`);

const LABELS = { inReplyTo: "In Reply To (inReplyTo)", references: "References (references)", messageId: "Message-ID (messageId)" } as const;

/** Why a Message-ID cannot be used, or undefined when it is fine. The value is without angle brackets. */
export function messageIdProblem(id: string): string | undefined {
  if (containsLineBreak(id)) return "contains a line break";
  if (/[^\x20-\x7e]/.test(id)) return "may only contain ASCII characters";
  if (id.length > MAX_ID_LENGTH) return `is longer than ${MAX_ID_LENGTH} characters`;
  if (!MESSAGE_ID.test(id)) return "is not a Message-ID of the form id@host";
  return undefined;
}

/**
 * Validates and normalizes the two threading fields. In Reply To is one id, with or without angle
 * brackets; References is several, separated by spaces or commas, or a list. When References is
 * empty it becomes the In Reply To id; when it does not contain that id, the id is added last, since
 * a reply's References is its parent's References followed by the parent's own id.
 */
export function threadingHeaders(inReplyTo: unknown, references: unknown, report: Report): ThreadingHeaders {
  const parent = parseInReplyTo(inReplyTo, report);
  const ids = parseReferences(references, report);
  if (parent !== undefined && !ids.includes(parent)) ids.push(parent);
  return { inReplyTo: parent, references: ids };
}

function parseInReplyTo(value: unknown, report: Report): string | undefined {
  return singleId(value, "inReplyTo", "put the thread's earlier ids into References", report);
}

/**
 * The mail's own Message-ID, when the flow sets it (to resend a mail whose first attempt may have been
 * delivered under the same identity): one id, with or without angle brackets; undefined when empty.
 */
export function ownMessageId(value: unknown, report: Report): string | undefined {
  return singleId(value, "messageId", "a mail has exactly one", report);
}

function singleId(value: unknown, field: "inReplyTo" | "messageId", whenSeveral: string, report: Report): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    report(field, `${LABELS[field]} must be one Message-ID as text, e.g. <abc123@mail.example.com>.`);
    return undefined;
  }
  const tokens = splitIds(value);
  if (tokens.length === 0) return undefined;
  if (tokens.length > 1) {
    report(field, `${LABELS[field]} must be a single Message-ID, but holds ${tokens.length}: ${whenSeveral}.`);
    return undefined;
  }
  return checkedId(tokens[0] as string, field, report);
}

function parseReferences(value: unknown, report: Report): string[] {
  if (value === undefined || value === null) return [];
  const entries = Array.isArray(value) ? value : [value];
  const tokens: string[] = [];
  for (const entry of entries) {
    if (typeof entry !== "string") {
      report("references", `${LABELS.references} must be Message-IDs as text (separated by spaces or commas) or a list of them.`);
      return [];
    }
    tokens.push(...splitIds(entry));
  }
  if (tokens.length > MAX_REFERENCES) {
    report("references", `${LABELS.references} holds ${tokens.length} Message-IDs; keep at most ${MAX_REFERENCES} (the first and the most recent ones of the thread).`);
    return [];
  }
  const ids: string[] = [];
  for (const token of tokens) {
    const id = checkedId(token, "references", report);
    if (id === undefined) return [];
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * Splits on whitespace (line breaks of a folded header included) and commas, and between ids written
 * back to back ("<a@b><c@d>"). Each piece must then be a whole Message-ID, so nothing around a line
 * break can become a header line of its own.
 */
function splitIds(text: string): string[] {
  return text
    .replace(/>\s*</g, "> <")
    .split(/[\s,]+/)
    .filter((token) => token !== "");
}

function checkedId(token: string, field: IdField, report: Report): string | undefined {
  const bare = token.startsWith("<") && token.endsWith(">") ? token.slice(1, -1) : token;
  const problem = messageIdProblem(bare);
  if (problem === undefined) return `<${bare}>`;
  const shown = bare.length > 80 ? `${bare.slice(0, 80)}…` : bare;
  report(field, `${LABELS[field]}: "${shown.replace(/[\r\n]/g, " ")}" ${problem}; a Message-ID looks like <abc123@mail.example.com>.`);
  return undefined;
}
