import { sanitizeFileName } from "../message/headerSafety";

export { sanitizeFileName };

/** The last segment of a URL's path, percent-decoded ("Q3%20report.pdf" → "Q3 report.pdf"). */
export function fileNameFromUrl(url: URL): string | undefined {
  const segment = url.pathname.split("/").pop() ?? "";
  if (segment === "") return undefined;
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A malformed escape: the raw segment is still a better name than none.
  }
  return sanitizeFileName(decoded);
}
