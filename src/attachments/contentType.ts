import type MimeTypes from "mime-types";

export const OCTET_STREAM = "application/octet-stream";

// RFC 2045 token: any printable US-ASCII character except space and tspecials ()<>@,;:\"/[]?=
const TOKEN = "[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]+";
const QUOTED = '"(?:[^"\\\\\\r\\n]|\\\\.)*"';
const CONTENT_TYPE = new RegExp(`^(${TOKEN})/(${TOKEN})((?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|${QUOTED}))*)\\s*;?$`);

/**
 * Validates a MIME type as type/subtype with optional parameters (RFC 2045 token rules) and returns
 * it with type and subtype lower-cased; undefined when it is not a valid content type.
 */
export function normalizeContentType(value: string): string | undefined {
  const match = CONTENT_TYPE.exec(value.trim());
  if (!match) return undefined;
  const [, type = "", subtype = "", params = ""] = match;
  const parameters = params
    .split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map((param) => param.trim())
    .filter((param) => param !== "");
  return [`${type.toLowerCase()}/${subtype.toLowerCase()}`, ...parameters].join("; ");
}

/** The bare type/subtype, without parameters. */
export function essence(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

/** Text we encode ourselves is UTF-8, and a text/* type without charset would be read as ASCII. */
export function withUtf8Charset(contentType: string): string {
  if (!essence(contentType).startsWith("text/") || /;\s*charset=/i.test(contentType)) return contentType;
  return `${contentType}; charset=utf-8`;
}

let mimeTypesModule: typeof MimeTypes | undefined;

/** mime-types parses a 200 KB database when loaded: only sends that name or type a file need it. */
function mimeTypes(): typeof MimeTypes {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, synchronously, like the callers
  mimeTypesModule ??= require("mime-types") as typeof MimeTypes;
  return mimeTypesModule;
}

/** The type mime-types knows for a file name's extension, or undefined. */
export function contentTypeForName(fileName: string | undefined): string | undefined {
  if (!fileName || !/\.[^.]+$/.test(fileName)) return undefined;
  return mimeTypes().lookup(fileName) || undefined;
}

/** The usual extension for a type ("pdf" for application/pdf), or undefined when there is none. */
export function extensionForType(contentType: string): string | undefined {
  const type = essence(contentType);
  if (type === OCTET_STREAM) return undefined;
  return mimeTypes().extension(type) || undefined;
}

/** "attachment" plus the type's extension when it has one: a name that opens with the right program. */
export function defaultFileName(base: string, contentType: string | undefined, fallbackExtension?: string): string {
  const extension = (contentType && extensionForType(contentType)) ?? fallbackExtension;
  return extension ? `${base}.${extension}` : base;
}
