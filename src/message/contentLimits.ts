/**
 * Bounds on the mail body, so the work for one mail stays small whatever a flow puts into it.
 * 5 MB of HTML is far more than any mail client shows comfortably; most servers refuse 25 MB in all.
 */
export const MAX_CONTENT_MB = 5;
export const MAX_CONTENT_BYTES = MAX_CONTENT_MB * 1024 * 1024;

/**
 * Deepest element nesting accepted in the HTML content. Real mail templates nest tables some 20 to 40 levels
 * deep; the HTML parser's work per tag grows with the depth, and deeper trees overflow the stack.
 */
export const MAX_HTML_DEPTH = 128;
