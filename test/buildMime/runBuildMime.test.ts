import crypto from "node:crypto";
import fc from "fast-check";
import type { MimePartValue } from "../../src/attachments/mimePart";
import { parseMimeEntity } from "../../src/attachments/mimeEntity";
import { runBuildMime } from "../../src/execution/runBuildMime";
import type { FailureResult } from "../../src/result/sendResult";
import { MAX_STORED_BYTES, storedBytes } from "../../src/result/storageLimit";
import { recordingApi } from "../message/helpers/recordingApi";

async function build(config: Record<string, unknown>) {
  const api = recordingApi();
  await runBuildMime(api, config);
  return { api, part: api.stored() as MimePartValue };
}

function headerBlock(raw: string): string[] {
  return raw.slice(0, raw.indexOf("\r\n\r\n")).replace(/\r\n[ \t]/g, " ").split("\r\n");
}

function body(raw: string): string {
  return raw.slice(raw.indexOf("\r\n\r\n") + 4);
}

describe("runBuildMime", () => {
  it("stores the part in input under the configured key, as an object the mime attachment accepts", async () => {
    const { api, part } = await build({
      contentType: "text/calendar; method=REQUEST",
      fileName: "invite.ics",
      contentSource: "text",
      contentText: "BEGIN:VCALENDAR\nSUMMARY:Team\nEND:VCALENDAR\n",
      storeLocation: "input",
      inputKey: "mimePart",
    });
    expect(api.calls.filter((call) => call.kind !== "log")).toEqual([{ kind: "addToInput", key: "mimePart", value: part }]);
    expect(part).toEqual({
      type: "mimePart",
      contentType: "text/calendar; method=REQUEST; charset=utf-8",
      fileName: "invite.ics",
      disposition: "attachment",
      size: Buffer.byteLength("BEGIN:VCALENDAR\r\nSUMMARY:Team\r\nEND:VCALENDAR\r\n"),
      raw: expect.any(String),
    });
    expect(headerBlock(part.raw)).toEqual([
      "Content-Type: text/calendar; method=REQUEST; charset=utf-8; name=invite.ics",
      "Content-Disposition: attachment; filename=invite.ics",
      "Content-Transfer-Encoding: 7bit",
    ]);
    // Text travels in canonical form, CRLF line breaks.
    expect(body(part.raw)).toBe("BEGIN:VCALENDAR\r\nSUMMARY:Team\r\nEND:VCALENDAR\r\n");
    expect(parseMimeEntity(part.raw).ok).toBe(true);
  });

  it("stores in context with mode simple", async () => {
    const api = recordingApi();
    await runBuildMime(api, { contentText: "hi", storeLocation: "context", contextKey: "email.part" });
    expect(api.calls.filter((call) => call.kind !== "log")).toEqual([{ kind: "addToContext", key: "email.part", value: expect.objectContaining({ type: "mimePart" }), mode: "simple" }]);
  });

  it("encodes non-ASCII text as quoted-printable with UTF-8 and non-ASCII names per RFC 2231/2047", async () => {
    const { part } = await build({ contentType: "text/plain", fileName: "Grüße an Jörg.txt", contentText: "Grüße aus München ✓ " + "lang ".repeat(30) });
    const headers = headerBlock(part.raw);
    expect(headers).toContain("Content-Transfer-Encoding: quoted-printable");
    expect(headers.find((h) => h.startsWith("Content-Type:"))).toContain("charset=utf-8");
    expect(headers.find((h) => h.startsWith("Content-Disposition:"))).toContain("filename*0*=utf-8''Gr%C3%BC%C3%9Fe%20an%20J%C3%B6rg.txt");
    expect(part.raw).toMatch(/^[\x00-\x7f]*$/);
    expect(Math.max(...part.raw.split("\r\n").map((line) => line.length))).toBeLessThanOrEqual(76);
  });

  it("keeps Base64 bytes exact and re-encodes them as Base64 in 76-character lines", async () => {
    const bytes = crypto.randomBytes(5000);
    const { part } = await build({ contentType: "application/pdf", fileName: "doc.pdf", contentSource: "base64", contentBase64: bytes.toString("base64").replace(/(.{60})/g, "$1\n") });
    expect(part.size).toBe(5000);
    expect(headerBlock(part.raw)).toContain("Content-Transfer-Encoding: base64");
    const lines = body(part.raw).split("\r\n").filter((line) => line !== "");
    expect(Math.max(...lines.map((line) => line.length))).toBe(76);
    expect(Buffer.from(lines.join(""), "base64").equals(bytes)).toBe(true);
  });

  it("uses Base64 even for text types given as bytes, so line breaks survive exactly", async () => {
    const bytes = Buffer.from("a\nb\r\nc\rd", "utf8");
    const { part } = await build({ contentType: "text/plain", contentSource: "base64", contentBase64: bytes.toString("base64") });
    expect(headerBlock(part.raw)).toContain("Content-Transfer-Encoding: base64");
    expect(Buffer.from(body(part.raw), "base64").equals(bytes)).toBe(true);
  });

  it("derives the content type from the file name when none is given", async () => {
    const { part } = await build({ contentType: "", fileName: "logo.png", contentSource: "base64", contentBase64: "iVBORw0KGgo=" });
    expect(part.contentType).toBe("image/png");
  });

  it("writes inline disposition, the Content-ID and extra headers (encoded when non-ASCII)", async () => {
    const { part } = await build({
      contentType: "image/png",
      contentSource: "base64",
      contentBase64: "iVBORw0KGgo=",
      disposition: "inline",
      contentId: "<logo@example.com>",
      headers: { "Content-Language": "de", "X-Note": "Grüße" },
    });
    expect(part).toMatchObject({ disposition: "inline", contentId: "logo@example.com" });
    expect(headerBlock(part.raw)).toEqual([
      "Content-Type: image/png",
      "Content-Disposition: inline",
      "Content-ID: <logo@example.com>",
      "Content-Language: de",
      "X-Note: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=",
      "Content-Transfer-Encoding: base64",
    ]);
  });

  it("refuses, before storing, a part too large for one Cognigy API argument, and says what to do instead", async () => {
    const { api, part } = await build({ contentType: "application/pdf", fileName: "big.pdf", contentSource: "base64", contentBase64: crypto.randomBytes(50_000).toString("base64") });
    expect(api.calls.filter((call) => call.kind !== "log")).toHaveLength(1);
    const stored = part as unknown as FailureResult;
    expect(stored.success).toBe(false);
    expect(stored.error).toMatchObject({ code: "attachment", field: "contentBase64" });
    expect(stored.error.message).toMatch(/^The MIME part is \d+ KB once stored \(its content alone 49 KB\), but Cognigy stores at most about 60 KB/);
    expect(stored.error.hint).toContain("From URL");
    expect(stored.error.hint).toContain("pass its Base64 straight into Send SMTP Email (Attachment: From Base64 String)");
    expect(storedBytes(stored)).toBeLessThan(2_000);
    expect(api.logs("error")).toEqual([expect.stringContaining("Build MIME: The MIME part is")]);
  });

  it("refuses a long text part the same way, naming the text field", async () => {
    const { part } = await build({ contentType: "text/plain", contentText: "line of text\n".repeat(6_000) });
    expect((part as unknown as FailureResult).error).toMatchObject({ code: "attachment", field: "contentText" });
  });

  it("stores a part that fits, right up to the limit", async () => {
    const { api, part } = await build({ contentType: "application/pdf", fileName: "fits.pdf", contentSource: "base64", contentBase64: crypto.randomBytes(40_000).toString("base64") });
    expect(part.type).toBe("mimePart");
    expect(storedBytes(part)).toBeGreaterThan(50_000);
    expect(storedBytes(part)).toBeLessThanOrEqual(MAX_STORED_BYTES);
    expect(api.logs("warn")).toEqual([]);
    expect(api.logs("error")).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ["invalid Base64", { contentSource: "base64", contentBase64: "abc$" }, "attachment", "contentBase64"],
    ["an invalid content type", { contentType: "nonsense" }, "configuration", "contentType"],
    ["an injected header", { headers: { "X-A": "1\r\nBcc: victim@example.com" } }, "configuration", "headers"],
    ["a message/* part with 8-bit content", { contentType: "message/rfc822", contentText: "Subject: Grüße\r\n\r\nx" }, "configuration", "contentType"],
  ])("logs and stores the failure for %s, without throwing", async (_label, config, code, field) => {
    const api = recordingApi();
    await runBuildMime(api, config);
    const stored = api.stored() as { success: false; error: { code: string; field: string; message: string; hint: string } };
    expect(stored).toMatchObject({ success: false, error: { code, field } });
    expect(api.logs("error")).toEqual([`Build MIME: ${stored.error.message} ${stored.error.hint}`]);
  });

  it("builds message/rfc822 parts unencoded, as RFC 2046 requires", async () => {
    const { part } = await build({ contentType: "message/rfc822", fileName: "forwarded.eml", contentText: "Subject: Hi\nFrom: a@example.com\n\nHello\n" });
    expect(headerBlock(part.raw).some((h) => h.startsWith("Content-Transfer-Encoding"))).toBe(false);
    expect(body(part.raw)).toBe("Subject: Hi\r\nFrom: a@example.com\r\n\r\nHello\r\n");
  });

  it("never lets a file name, content ID or header value start a header of its own", async () => {
    const sneaky = fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom("\r\n", "\n", "\r"), fc.string({ maxLength: 10 })).map(([a, br, b]) => `${a}${br}X-Injected: yes${br}${b}`);
    await fc.assert(
      fc.asyncProperty(sneaky, fc.constantFrom("fileName", "contentId", "header"), async (value, where) => {
        const config: Record<string, unknown> = { contentText: "x" };
        if (where === "header") config.headers = { "X-Custom": value };
        else config[where] = value;
        const api = recordingApi();
        await runBuildMime(api, config);
        const stored = api.stored() as MimePartValue | { success: false; error: { code: string } };
        if ("raw" in stored) {
          expect(headerBlock(stored.raw).filter((h) => /^x-injected:/i.test(h))).toEqual([]);
        } else {
          expect(stored.error.code).toBe("configuration");
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe("a failed Build MIME part reaching Send SMTP Email", () => {
  it("is reported with the Build MIME node's own reason", async () => {
    const api = recordingApi();
    await runBuildMime(api, { contentSource: "base64", contentBase64: "abc$" });
    const { ByteBudget, prepareAttachment } = await import("../../src/attachments");
    const { createDeadline } = await import("../../src/deadline/deadline");
    const deadline = createDeadline(5000);
    await expect(
      prepareAttachment({ type: "mime", origin: "Attachment", mime: api.stored() }, { limits: { maxBytes: 1024, maxTotalBytes: 1024, allowPrivateNetworkUrls: false }, deadline, budget: new ByteBudget(1024) }),
    ).rejects.toMatchObject({ code: "attachment", message: expect.stringMatching(/Build MIME node that should have produced it failed: Base64 Content/) });
    deadline.dispose();
  });
});
