/**
 * Property-based tests over a real SMTP round trip: whatever ends up in a header cannot create a new
 * header, and arbitrary Unicode subjects, display names, file names and attachment bytes come back
 * exactly as given.
 */
import fc from "fast-check";
import type { AttachmentSpec } from "../../src/config/attachmentSpecs";
import type { MessageConfig } from "../../src/config/sendSmtpEmailConfig";
import { SmtpEmailError } from "../../src/errors/SmtpEmailError";
import { buildMailOptions } from "../../src/message/buildMailOptions";
import { sanitizeFileName } from "../../src/message/headerSafety";
import { sha256 } from "../support/parseMessage";
import { allHeaderNames, type Delivered, useMailSink } from "./helpers/mailSink";

const RUNS = 50;
const limits = { maxBytes: 1024 * 1024, maxTotalBytes: 25 * 1024 * 1024, allowPrivateNetworkUrls: false };

const env = useMailSink();

const message = (overrides: Partial<MessageConfig> = {}): MessageConfig => ({
  to: "jane@example.com",
  subject: "Hello",
  html: "<p>Hi</p>",
  priority: "normal",
  ...overrides,
});

async function deliver(config: MessageConfig, attachments: AttachmentSpec[] = []): Promise<Delivered> {
  return env.sink.send(await buildMailOptions(config, attachments, limits, { defaultFrom: "bot@example.com", deadline: env.deadline }));
}

// Text around the injection: printable ASCII and some Unicode, including ":" and header-like bits.
const filler = fc.string({ unit: fc.constantFrom(..."abc XYZ:;,.<>\"'=?_-@é✓你\t"), maxLength: 20 });
const lineBreak = fc.constantFrom("\r\n", "\n", "\r", "\r\n\r\n", "\n\t");
/** A value that tries to smuggle in a header "X-Injected-<n>: yes". */
const injection = fc.tuple(filler, lineBreak, fc.nat({ max: 9 }), filler).map(([before, br, n, after]) => `${before}${br}X-Injected-${n}: yes${br}${after}`);

function expectNoInjectedHeader(delivered: Delivered): void {
  expect(allHeaderNames(delivered.rawText).filter((name) => name.startsWith("x-injected"))).toEqual([]);
  expect(delivered.parsed.headers.filter((header) => header.key.startsWith("x-injected"))).toEqual([]);
  expect(delivered.parsed.headerAll("bcc")).toEqual([]);
}

describe("header injection is impossible", () => {
  it("through the subject: line breaks become spaces", async () => {
    await fc.assert(
      fc.asyncProperty(injection, async (subject) => {
        const delivered = await deliver(message({ subject }));
        expectNoInjectedHeader(delivered);
        expect(delivered.parsed.subject).toContain("X-Injected-");
      }),
      { numRuns: RUNS },
    );
  });

  it("through display names: refused as an address error, never sent", async () => {
    await fc.assert(
      fc.asyncProperty(injection, fc.constantFrom("to", "cc", "bcc", "from", "replyTo"), fc.boolean(), async (name, field, asObject) => {
        const value = asObject ? [{ name, address: "x@example.com" }] : `"${name.replace(/"/g, "")}" <x@example.com>`;
        const before = env.sink.server.messages.length;
        await expect(buildMailOptions(message({ [field]: value }), [], limits, { defaultFrom: "bot@example.com", deadline: env.deadline })).rejects.toMatchObject({
          code: "address",
          details: { field },
        });
        expect(env.sink.server.messages.length).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });

  it("through attachment file names: line breaks are cleaned out", async () => {
    await fc.assert(
      fc.asyncProperty(injection, fc.constantFrom<"text" | "base64" | "custom" | "url">("text", "base64", "custom", "url"), async (fileName, kind) => {
        const spec: AttachmentSpec =
          kind === "text"
            ? { type: "text", origin: "Attachment", text: "x", fileName }
            : kind === "base64"
              ? { type: "base64", origin: "Attachment", base64: "AAEC", fileName }
              : kind === "custom"
                ? { type: "custom", origin: "Attachment", content: "x", contentType: "text/plain", fileName }
                : { type: "url", origin: "Attachment", url: "data:text/plain,x", fileName };
        const delivered = await deliver(message(), [spec]);
        expectNoInjectedHeader(delivered);
        expect(delivered.parsed.attachments[0]?.filename).toBe(sanitizeFileName(fileName));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("Unicode round trips", () => {
  // Any character except controls (a subject is one line) and lone surrogates; no edge whitespace,
  // which header unfolding legitimately drops.
  const unicodeText = fc
    .string({ unit: "grapheme", minLength: 1, maxLength: 60 })
    .map((text) => text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "").replace(/\s+/g, " ").trim())
    .filter((text) => text !== "");

  it("subjects in any script arrive unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(unicodeText, async (subject) => {
        const { parsed } = await deliver(message({ subject }));
        expect(parsed.subject).toBe(subject);
      }),
      { numRuns: RUNS },
    );
  });

  it("display names in any script arrive unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(unicodeText, async (name) => {
        const { parsed } = await deliver(message({ to: [{ name, address: "jane@example.com" }], from: [{ name, address: "bot@example.com" }] }));
        expect(parsed.to).toEqual([{ name, address: "jane@example.com" }]);
        expect(parsed.from).toEqual({ name, address: "bot@example.com" });
      }),
      { numRuns: RUNS },
    );
  });

  it("attachment bytes, text and file names arrive exactly", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 4096 }), fc.string({ unit: "grapheme", maxLength: 200 }), unicodeText, async (bytes, text, name) => {
        const binary = Buffer.from(bytes);
        const { parsed } = await deliver(message(), [
          { type: "base64", origin: "extraAttachments[0]", base64: binary.toString("base64"), fileName: `${name}.bin` },
          { type: "text", origin: "extraAttachments[1]", text, fileName: `${name}.txt` },
        ]);
        const [file, textFile] = parsed.attachments;
        expect(file?.sha256).toBe(sha256(binary));
        expect(file?.filename).toBe(sanitizeFileName(`${name}.bin`));
        expect(textFile?.sha256).toBe(sha256(Buffer.from(text, "utf8")));
        expect(textFile?.filename).toBe(sanitizeFileName(`${name}.txt`));
      }),
      { numRuns: RUNS },
    );
  });
});

it("an injected line break in an attachment's MIME type is refused", async () => {
  await expect(
    buildMailOptions(message(), [{ type: "custom", origin: "Attachment", content: "x", contentType: "text/plain\r\nX-Injected: yes" }], limits, {
      defaultFrom: "bot@example.com",
      deadline: env.deadline,
    }),
  ).rejects.toBeInstanceOf(SmtpEmailError);
});
