import type { FormatCallback } from "html-to-text";
import { configurationError } from "../errors/SmtpEmailError";
import { MAX_HTML_DEPTH } from "./contentLimits";

/**
 * Images contribute their alt text only: their src is a data URL or a cid: reference, neither of which
 * means anything to a reader of the plain-text version (and a data URL would be megabytes of noise).
 */
const altTextOnly: FormatCallback = (elem, _walk, builder) => {
  const attribs: unknown = elem.attribs;
  const alt = attribs && typeof attribs === "object" ? (attribs as Record<string, unknown>).alt : undefined;
  if (typeof alt === "string" && alt.trim() !== "") builder.addInline(alt.trim());
};

let converter: Promise<(html: string) => string> | undefined;

/**
 * Compiled once, on first use (html-to-text is slow to load, and mails with a custom text never need it).
 * Lines wrap at 78 like a hand-written mail; links keep their URL unless the text already is the URL.
 */
function loadConverter(): Promise<(html: string) => string> {
  converter ??= import("html-to-text").then(({ compile }) =>
    compile({
      wordwrap: 78,
      // Deeper trees would overflow the stack; the content scan refuses them first, this is the backstop.
      limits: { maxDepth: MAX_HTML_DEPTH },
      formatters: { altTextOnly },
      selectors: [
        { selector: "a", options: { hideLinkHrefIfSameAsText: true, noAnchorUrl: true } },
        { selector: "img", format: "altTextOnly" },
        { selector: "table", format: "dataTable" },
      ],
    }),
  );
  return converter;
}

/** Bots send the same template again and again: remember the last few conversions of small bodies. */
const recent = new Map<string, string>();
const RECENT_ENTRIES = 32;
const RECENT_MAX_HTML = 64 * 1024;

/** The plain-text alternative for an HTML body, so clients without HTML still show the message. */
export async function htmlToPlainText(html: string, { depthChecked = false } = {}): Promise<string> {
  const remembered = recent.get(html);
  if (remembered !== undefined) return remembered;
  const convert = await loadConverter();
  // html-to-text's parser slows down with every level of nesting: refuse deep trees in one linear pass first.
  if (!depthChecked) (await import("./htmlScan")).scanHtml(html);
  let text: string;
  try {
    text = convert(html);
  } catch {
    // A content problem (e.g. a RangeError from a pathological tree), not a connection failure.
    throw configurationError(
      "content",
      "Email Content could not be turned into the plain-text version of the mail; nothing was sent.",
      "Simplify the HTML, or give the plain text yourself in Custom Plain-Text Content (text).",
    );
  }
  if (html.length <= RECENT_MAX_HTML) {
    if (recent.size >= RECENT_ENTRIES) recent.delete(recent.keys().next().value as string);
    recent.set(html, text);
  }
  return text;
}
