/** The MIME structure of a raw message as nested content types, for asserting on nesting. */
export interface MimeTreeNode {
  contentType: string;
  children: MimeTreeNode[];
}

export function mimeTree(rawText: string): MimeTreeNode {
  return parseEntity(rawText);
}

function parseEntity(entity: string): MimeTreeNode {
  const end = entity.indexOf("\r\n\r\n");
  const headerText = (end < 0 ? entity : entity.slice(0, end)).replace(/\r\n[ \t]/g, " ");
  const body = end < 0 ? "" : entity.slice(end + 4);
  const contentTypeLine = headerText.split("\r\n").find((line) => /^content-type:/i.test(line)) ?? "Content-Type: text/plain";
  const value = contentTypeLine.slice(contentTypeLine.indexOf(":") + 1).trim();
  const contentType = (value.split(";")[0] ?? "").trim().toLowerCase();
  if (!contentType.startsWith("multipart/")) return { contentType, children: [] };
  const boundary = /boundary="?([^";]+)"?/i.exec(value)?.[1];
  if (!boundary) return { contentType, children: [] };
  const parts = body.split(`--${boundary}`);
  // parts[0] is the preamble, the last one starts with "--" (the closing delimiter).
  const children = parts
    .slice(1)
    .filter((part) => !part.startsWith("--"))
    .map((part) => parseEntity(part.replace(/^\r\n/, "").replace(/\r\n$/, "")));
  return { contentType, children };
}

/** "multipart/mixed(multipart/alternative(text/plain,text/html),application/pdf)" */
export function describeTree(node: MimeTreeNode): string {
  return node.children.length === 0 ? node.contentType : `${node.contentType}(${node.children.map(describeTree).join(",")})`;
}
