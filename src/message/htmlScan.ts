import { Parser } from "htmlparser2";
import { configurationError } from "../errors/SmtpEmailError";
import { MAX_HTML_DEPTH } from "./contentLimits";

/** An `<img src>` attribute: its decoded value and where the whole attribute (name to value) stands. */
export interface ImageSource {
  value: string;
  start: number;
  end: number;
}

/**
 * One pass of a real HTML tokenizer over the content: finds every `<img src>` and refuses nesting
 * deeper than MAX_HTML_DEPTH. The parser's work per tag grows with the open elements, so capping the
 * depth as it goes keeps the whole pass linear in the content's length; html-to-text, which parses the
 * same way, is only ever given content that passed here.
 */
export function scanHtml(html: string): ImageSource[] {
  const images: ImageSource[] = [];
  let depth = 0;
  let tag = "";
  const parser = new Parser({
    // Every element opened is closed again (explicitly, implied, or at the end), void elements included.
    onopentagname(name) {
      tag = name;
      depth += 1;
      if (depth > MAX_HTML_DEPTH) throw tooDeep();
    },
    onclosetag() {
      depth -= 1;
    },
    onattribute(name, value) {
      if (name === "src" && tag === "img") images.push({ value, start: parser.startIndex, end: parser.endIndex });
    },
  });
  parser.end(html);
  return images;
}

function tooDeep() {
  return configurationError(
    "content",
    `Email Content nests HTML elements more than ${MAX_HTML_DEPTH} levels deep, more than any mail layout needs; nothing was sent.`,
    "Simplify the HTML (look for tags that are opened but never closed), or send it as plain text.",
  );
}
