import { decodeBase64Strict } from "../attachments/base64";
import { buildMimePart, type MimePartInput, type MimePartValue } from "../attachments/mimePart";
import { parseBuildMimeConfig, type MimePartSpec } from "../config/buildMimeConfig";
import type { StorageConfig } from "../config/storageConfig";
import { lenientStorage } from "../config/lenientStorage";
import { SmtpEmailError } from "../errors/SmtpEmailError";
import { asSmtpEmailError, failureResult } from "../result/sendResult";
import type { CognigyApi } from "./cognigyApi";

/** Above this the stored value nears the ~62 KB Cognigy handles well for an Input/Context entry. */
export const LARGE_PART_BYTES = 60 * 1024;

/**
 * Builds one MIME part as configured on a Build MIME node and stores it for a later Send SMTP Email node.
 * A failure is logged and stored in the part's place, where the Send node reports it; it never throws,
 * so a bad part cannot crash the flow.
 */
export async function runBuildMime(api: CognigyApi, rawConfig: unknown): Promise<void> {
  try {
    const config = parseBuildMimeConfig(rawConfig);
    const part = await buildMimePart(toInput(config.part));
    // Measured as stored (JSON), since that is what Cognigy keeps; the escaped CRLFs add a few percent.
    const storedBytes = Buffer.byteLength(JSON.stringify(part), "utf8");
    if (storedBytes > LARGE_PART_BYTES) {
      api.log?.(
        "warn",
        `Build MIME: the part is ${Math.round(storedBytes / 1024)} KB, more than the ~60 KB that fit comfortably into Input or Context; it is stored anyway, but consider attaching large files from a URL instead.`,
      );
    }
    store(api, config.storage, part);
  } catch (error) {
    api.log?.("error", `Build MIME: ${describe(error)}`);
    store(api, lenientStorage(rawConfig, "input", "mimePart"), failureResult(asSmtpEmailError(error)));
  }
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
