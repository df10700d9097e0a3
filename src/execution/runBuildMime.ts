import { formatBytes } from "../attachments/attachmentContext";
import { decodeBase64Strict } from "../attachments/base64";
import { buildMimePart, type MimePartInput, type MimePartValue } from "../attachments/mimePart";
import { parseBuildMimeConfig, type MimePartSpec } from "../config/buildMimeConfig";
import type { StorageConfig } from "../config/storageConfig";
import { lenientStorage } from "../config/lenientStorage";
import { SmtpEmailError } from "../errors/SmtpEmailError";
import { asSmtpEmailError, failureResult } from "../result/sendResult";
import { MAX_STORED_BYTES, storedBytes } from "../result/storageLimit";
import type { CognigyApi } from "./cognigyApi";

/**
 * Builds one MIME part as configured on a Build MIME node and stores it for a later Send SMTP Email node.
 * A failure is logged and stored in the part's place, where the Send node reports it; it never throws,
 * so a bad part cannot crash the flow.
 */
export async function runBuildMime(api: CognigyApi, rawConfig: unknown): Promise<void> {
  try {
    const config = parseBuildMimeConfig(rawConfig);
    const part = await buildMimePart(toInput(config.part));
    refuseIfTooLargeToStore(part, config.part.content.source);
    store(api, config.storage, part);
  } catch (error) {
    api.log?.("error", `Build MIME: ${describe(error)}`);
    store(api, lenientStorage(rawConfig, "input", "mimePart"), failureResult(asSmtpEmailError(error)));
  }
}

/**
 * Cognigy refuses to store an API argument above about 62 KB, and then fails with an unclear error. The
 * part is measured as stored (JSON; Base64 and escaped line breaks make a file about 1.4 times larger),
 * and refused before storing with a way around it.
 */
function refuseIfTooLargeToStore(part: MimePartValue, source: MimePartSpec["content"]["source"]): void {
  const bytes = storedBytes(part);
  if (bytes <= MAX_STORED_BYTES) return;
  throw new SmtpEmailError(
    "attachment",
    `The MIME part is ${formatBytes(bytes)} once stored (its content alone ${formatBytes(part.size)}), but Cognigy stores at most about 60 KB in one Input or Context entry, so it was not stored.`,
    "Attach a file this large in Send SMTP Email instead: from a URL (Attachment: From URL, or a \"url\" entry in Additional Attachments), or pass its Base64 straight into Send SMTP Email (Attachment: From Base64 String). Build MIME suits parts up to about 40 KB.",
    { field: source === "base64" ? "contentBase64" : "contentText" },
  );
}

function toInput(spec: MimePartSpec): MimePartInput {
  const { content, ...rest } = spec;
  if (content.source === "text") return { ...rest, content: { source: "text", text: content.text } };
  const decoded = decodeBase64Strict(content.base64);
  if (!decoded.ok) {
    throw new SmtpEmailError(
      "attachment",
      `Base64 Content (contentBase64) is not valid Base64: ${decoded.problem}. No part was built, to avoid a corrupt file.`,
      "Check that the value was not cut off or altered: only A–Z, a–z, 0–9, + and / (or - and _) with = padding at the end are allowed; spaces and line breaks are ignored.",
      { field: "contentBase64" },
    );
  }
  return { ...rest, content: { source: "bytes", bytes: decoded.bytes } };
}

function store(api: CognigyApi, storage: StorageConfig, part: MimePartValue | ReturnType<typeof failureResult>): void {
  switch (storage.location) {
    case "none":
      return;
    case "input":
      if (!api.addToInput) {
        throw new SmtpEmailError("configuration", "This Cognigy version cannot store results in Input.", "Set Where to store the result (storeLocation) to Context.", { field: "storeLocation" });
      }
      api.addToInput(storage.key, part);
      return;
    case "context":
      api.addToContext?.(storage.key, part, "simple");
      return;
  }
}

function describe(error: unknown): string {
  if (error instanceof SmtpEmailError) return `${error.message} ${error.hint}`;
  return "building the MIME part failed unexpectedly.";
}
