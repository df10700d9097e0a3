import type Mail from "nodemailer/lib/mailer";
import type { AttachmentSpec } from "../config/attachmentSpecs";
import type { ByteBudget } from "./byteBudget";
import { DEFAULT_MAX_ATTACHMENT_MB } from "../config/attachmentSpecs";
import { attachmentError, formatBytes, overBudgetError, type AttachmentContext } from "./attachmentContext";
import { OCTET_STREAM, contentTypeForName, defaultFileName, essence, normalizeContentType } from "./contentType";
import { parseDataUrl } from "./dataUrl";
import { DownloadError, MAX_REDIRECTS, download, type DownloadFailure, type DownloadOptions } from "./download";
import { fileNameFromUrl, sanitizeFileName } from "./fileName";
import type { NetworkPolicy } from "./networkGuard";

type UrlSpec = Extract<AttachmentSpec, { type: "url" }>;

/**
 * Set by code only, never from node config: the DNS resolver and addresses to trust besides the
 * policy (tests: their servers on 127.0.0.1), and an extra abort signal (the batch aborts siblings of a failure).
 */
export type UrlAttachmentOptions = Pick<DownloadOptions, "resolver" | "signal"> & Pick<NetworkPolicy, "trustedAddresses">;

/** A file fetched from an http(s) URL, or decoded from a data URL. */
export async function urlAttachment(spec: UrlSpec, context: AttachmentContext, options: UrlAttachmentOptions = {}): Promise<Mail.Attachment> {
  const url = parseUrl(spec);
  const maxBytes = context.limits.maxBytes > 0 ? context.limits.maxBytes : DEFAULT_MAX_ATTACHMENT_MB * 1024 * 1024;
  const { bytes, contentType: declaredType } = url.protocol === "data:" ? fromDataUrl(spec, maxBytes, context.budget) : await fetchUrl(spec, url, context, maxBytes, options);

  const explicitName = sanitizeFileName(spec.fileName) ?? (url.protocol === "data:" ? undefined : fileNameFromUrl(url));
  const headerType = declaredType === undefined ? undefined : normalizeContentType(declaredType);
  // A generic octet-stream says nothing; the file name's extension is the better guess then.
  const contentType =
    headerType && essence(headerType) !== OCTET_STREAM ? headerType : (contentTypeForName(explicitName) ?? headerType ?? OCTET_STREAM);
  return {
    filename: explicitName ?? defaultFileName("attachment", contentType),
    content: bytes,
    contentType,
  };
}

function parseUrl(spec: UrlSpec): URL {
  let url: URL;
  try {
    url = new URL(spec.url.trim());
  } catch {
    throw attachmentError(spec, `${JSON.stringify(shorten(spec.url))} is not a valid URL.`, "Enter a full URL such as https://example.com/files/report.pdf, or a data URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:" && url.protocol !== "data:") {
    throw attachmentError(
      spec,
      `URLs with the scheme "${url.protocol}" are not supported; only http, https and data URLs can be attached.`,
      "Publish the file on a web server and use its https:// URL, or pass its content as Base64.",
    );
  }
  return url;
}

function fromDataUrl(spec: UrlSpec, maxBytes: number, budget: ByteBudget): { bytes: Buffer; contentType: string } {
  const parsed = parseDataUrl(spec.url.trim());
  if (!parsed.ok) {
    throw attachmentError(spec, `the data URL is invalid: ${parsed.problem}. Nothing was attached.`, "Use the form data:<type>;base64,<Base64 data>, e.g. data:application/pdf;base64,JVBERi0....");
  }
  if (parsed.bytes.length > maxBytes) throw tooLarge(spec, maxBytes);
  if (!budget.take(parsed.bytes.length)) throw overBudgetError(spec, budget.limit);
  return { bytes: parsed.bytes, contentType: parsed.contentType };
}

async function fetchUrl(spec: UrlSpec, url: URL, context: AttachmentContext, maxBytes: number, options: UrlAttachmentOptions) {
  try {
    const { trustedAddresses, ...rest } = options;
    return await download(url, {
      maxBytes,
      policy: { allowPrivateNetworks: context.limits.allowPrivateNetworkUrls, trustedAddresses },
      deadline: context.deadline,
      budget: context.budget,
      ...rest,
    });
  } catch (error) {
    if (!(error instanceof DownloadError)) throw error;
    throw downloadFailure(spec, url, error.failure, maxBytes, context);
  }
}

function downloadFailure(spec: UrlSpec, url: URL, failure: DownloadFailure, maxBytes: number, context: AttachmentContext) {
  const where = `${url.protocol}//${url.host}`;
  switch (failure.kind) {
    case "blocked":
      return attachmentError(
        spec,
        `the URL was refused because ${failure.detail}; attachment URLs must point to the public internet.`,
        context.limits.allowPrivateNetworkUrls
          ? "Allow Attachment URLs in Private Networks (allowPrivateNetworkUrls) opens only the private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7); loopback, link-local, cloud metadata and reserved addresses stay refused. Publish the file on a reachable server."
          : "If this is a trusted internal file server, turn on Allow Attachment URLs in Private Networks (allowPrivateNetworkUrls) under Advanced.",
      );
    case "tooLarge":
      return tooLarge(spec, maxBytes);
    case "overBudget":
      return overBudgetError(spec, failure.limit);
    case "status":
      return attachmentError(
        spec,
        `the server at ${where} answered HTTP ${failure.status}${failure.statusText ? ` ${failure.statusText}` : ""} instead of the file.`,
        failure.status === 401 || failure.status === 403
          ? "The file is not publicly readable: use a public or pre-signed link."
          : "Check the URL in a browser; it must download the file directly without a login.",
      );
    case "redirects":
      return attachmentError(spec, `the URL redirected more than ${MAX_REDIRECTS} times.`, "Use the file's final, direct download URL.");
    case "timeout":
      return context.deadline.timeoutError(`downloading the attachment from ${where}`);
    case "network":
      return attachmentError(spec, `the file could not be downloaded from ${where}: ${failure.detail}.`, "Check that the URL is correct and reachable from Cognigy.");
  }
}

function tooLarge(spec: UrlSpec, maxBytes: number) {
  return attachmentError(
    spec,
    `the file is larger than the limit of ${formatBytes(maxBytes)} and was not attached (the download was stopped there).`,
    "Raise Maximum Attachment Size (maxAttachmentSizeMb) under Advanced, or send a link to the file instead. Many mail servers refuse messages over 10–25 MB.",
  );
}

function shorten(value: string): string {
  return value.length > 100 ? `${value.slice(0, 97)}...` : value;
}
