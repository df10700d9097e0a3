import * as z from "zod/mini";
import { transformWithIssues } from "./configIssues";
import { normalizeContentType } from "../attachments/contentType";
import { contentIdProblem, containsLineBreak, isValidHeaderName, sanitizeFileName, stripAngleBrackets } from "../message/headerSafety";
import { parseNodeConfig } from "./parseNodeConfig";
import { choice, jsonValue, optionalRawText, optionalText } from "./rawValues";
import { storageConfigShape, toStorageConfig, type StorageConfig } from "./storageConfig";

export interface MimePartSpec {
  /** Validated type/subtype[; params]; undefined means "derive it from the file name". */
  contentType?: string;
  fileName?: string;
  content: { source: "text"; text: string } | { source: "base64"; base64: string };
  disposition: "attachment" | "inline";
  /** Without angle brackets. */
  contentId?: string;
  headers: Record<string, string>;
}

export interface BuildMimeConfig {
  part: MimePartSpec;
  storage: StorageConfig;
}

/** Headers that the part's own fields set; letting the JSON override them would contradict those fields. */
const RESERVED_HEADERS = ["content-type", "content-transfer-encoding", "content-disposition", "content-id", "mime-version"];

const rawBuildMimeConfig = z.object({
  contentType: optionalText("Content Type (contentType)"),
  fileName: optionalText("File Name (fileName)"),
  contentSource: choice("Content Format (contentSource)", ["text", "base64"] as const, "text"),
  contentText: optionalRawText("Content (contentText)"),
  contentBase64: optionalRawText("Base64 Content (contentBase64)"),
  disposition: choice("Content Disposition (disposition)", ["attachment", "inline"] as const, "attachment"),
  contentId: optionalText("Content ID (contentId)"),
  headers: jsonValue("Extra Headers (headers)"),
  ...storageConfigShape("input"),
  // Build MIME exists to store its part, so an empty choice means Input, as the node's default says.
  storeLocation: choice("Where to store the result (storeLocation)", ["input", "context"] as const, "input"),
});

const buildMimeConfigSchema = z.pipe(rawBuildMimeConfig, transformWithIssues((raw: z.output<typeof rawBuildMimeConfig>, ctx): BuildMimeConfig => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });

  let contentType: string | undefined;
  if (raw.contentType !== undefined) {
    contentType = normalizeContentType(raw.contentType);
    if (!contentType) {
      issue("contentType", `Content Type "${raw.contentType}" is not a valid MIME type: enter it as type/subtype, e.g. text/calendar or application/pdf.`);
    } else if (contentType.startsWith("multipart/")) {
      issue("contentType", `Content Type "${raw.contentType}" is a multipart type, but Build MIME makes a single part: use the content's own type, e.g. text/calendar.`);
    }
  }

  const contentId = raw.contentId === undefined ? undefined : stripAngleBrackets(raw.contentId);
  const contentIdIssue = raw.contentId === undefined ? undefined : contentIdProblem(raw.contentId);
  if (contentIdIssue) issue("contentId", `Content ID ${contentIdIssue}: use something like logo@example.com.`);

  if (raw.fileName !== undefined && containsLineBreak(raw.fileName)) {
    issue("fileName", "File Name contains a line break: enter a single-line name such as invite.ics.");
  }

  if (raw.contentSource === "base64" && raw.contentBase64 === undefined) {
    issue("contentBase64", "Base64 Content is empty: paste the Base64-encoded bytes, or switch Content Format to Text.");
  }

  return {
    part: {
      contentType,
      fileName: sanitizeFileName(raw.fileName),
      content: raw.contentSource === "base64" ? { source: "base64", base64: raw.contentBase64 ?? "" } : { source: "text", text: raw.contentText ?? "" },
      disposition: raw.disposition,
      contentId: contentIdIssue ? undefined : contentId,
      headers: extraHeaders(raw.headers, issue),
    },
    storage: toStorageConfig(raw, ctx, "mimePart"),
  };
}));

function extraHeaders(value: unknown, issue: (path: string, message: string) => void): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    issue("headers", 'Extra Headers must be a JSON object of header names and values, e.g. { "Content-Language": "de" }.');
    return {};
  }
  const headers: Record<string, string> = {};
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!isValidHeaderName(name)) {
      issue("headers", `Extra Headers: "${name}" is not a valid header name (letters, digits and dashes, no spaces or colons).`);
      continue;
    }
    if (RESERVED_HEADERS.includes(name.toLowerCase())) {
      issue("headers", `Extra Headers: "${name}" is set by the node's own fields; use Content Type, File Name, Content Disposition or Content ID instead.`);
      continue;
    }
    if (typeof raw !== "string" && typeof raw !== "number" && typeof raw !== "boolean") {
      issue("headers", `Extra Headers: the value of "${name}" must be text.`);
      continue;
    }
    const text = String(raw);
    // A line break would end the header and start one of the value's choosing.
    if (containsLineBreak(text)) {
      issue("headers", `Extra Headers: the value of "${name}" contains a line break, which a header cannot carry.`);
      continue;
    }
    headers[name] = text;
  }
  return headers;
}

export function parseBuildMimeConfig(raw: unknown): BuildMimeConfig {
  return parseNodeConfig(buildMimeConfigSchema, raw, "Build MIME");
}
