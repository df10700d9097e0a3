import { compile, type FormatCallback } from "html-to-text";

/**
 * Images contribute their alt text only: their src is a data URL or a cid: reference, neither of which
 * means anything to a reader of the plain-text version (and a data URL would be megabytes of noise).
 */
const altTextOnly: FormatCallback = (elem, _walk, builder) => {
  const attribs: unknown = elem.attribs;
  const alt = attribs && typeof attribs === "object" ? (attribs as Record<string, unknown>).alt : undefined;
  if (typeof alt === "string" && alt.trim() !== "") builder.addInline(alt.trim());
};

/**
 * Compiled once: html-to-text builds its selector tree per options object. Lines wrap at 78 like a
 * hand-written mail; links keep their URL in brackets unless the text already is the URL.
 */
const convert = compile({
  wordwrap: 78,
  formatters: { altTextOnly },
  selectors: [
    { selector: "a", options: { hideLinkHrefIfSameAsText: true, noAnchorUrl: true } },
    { selector: "img", format: "altTextOnly" },
    { selector: "table", format: "dataTable" },
  ],
});

/** The plain-text alternative for an HTML body, so clients without HTML still show the message. */
export function htmlToPlainText(html: string): string {
  return convert(html);
}
