import crypto from "node:crypto";
import PostalMime from "postal-mime";

export type ParsedAddress = PostalMime.Address;
export type ParsedMailbox = PostalMime.Mailbox;

/** A postal-mime attachment whose content is a Buffer, with its SHA-256 for byte-exact comparisons. */
export type ParsedAttachment = Omit<PostalMime.Attachment, "content" | "encoding"> & {
  content: Buffer;
  /** Hex SHA-256 of `content`. */
  sha256: string;
  size: number;
};

/** postal-mime's parsed email plus small conveniences for assertions. */
export type ParsedMessage = Omit<PostalMime.Email, "attachments"> & {
  attachments: ParsedAttachment[];
  /** First value of a header (case-insensitive name), unfolded, or undefined. */
  header(name: string): string | undefined;
  /** Every value of a header, in order. */
  headerAll(name: string): string[];
  /** The email addresses in a from/to/cc/bcc/replyTo field, as written, with groups flattened. */
  addresses(field: "from" | "to" | "cc" | "bcc" | "replyTo"): string[];
};

/** Hex SHA-256 of the given bytes or string (UTF-8). */
export function sha256(data: Buffer | Uint8Array | string): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

/** Parses a raw RFC 5322 message (e.g. `ReceivedMessage.raw`) with postal-mime. */
export async function parseMessage(raw: Buffer | Uint8Array | string): Promise<ParsedMessage> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer" });
  const attachments: ParsedAttachment[] = email.attachments.map((attachment) => {
    const { content, encoding, ...rest } = attachment;
    const bytes = toBuffer(content, encoding);
    return { ...rest, content: bytes, sha256: sha256(bytes), size: bytes.length };
  });
  const headerAll = (name: string): string[] => {
    const key = name.toLowerCase();
    return email.headers.filter((h) => h.key === key).map((h) => h.value);
  };
  const addresses = (field: "from" | "to" | "cc" | "bcc" | "replyTo"): string[] => {
    const value = email[field];
    const list: PostalMime.Address[] = value === undefined ? [] : Array.isArray(value) ? value : [value];
    return list.flatMap((a) => (a.group ? a.group.map((m) => m.address) : [a.address ?? ""]));
  };
  return {
    ...email,
    attachments,
    header: (name) => headerAll(name)[0],
    headerAll,
    addresses,
  };
}

function toBuffer(content: ArrayBuffer | Uint8Array | string, encoding: "base64" | "utf8" | undefined): Buffer {
  if (typeof content === "string") return Buffer.from(content, encoding === "base64" ? "base64" : "utf8");
  if (content instanceof Uint8Array) return Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  return Buffer.from(content);
}
