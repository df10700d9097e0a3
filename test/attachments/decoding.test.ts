import fc from "fast-check";
import { decodeBase64Strict } from "../../src/attachments/base64";
import { defaultFileName, normalizeContentType, withUtf8Charset } from "../../src/attachments/contentType";
import { parseDataUrl } from "../../src/attachments/dataUrl";
import { fileNameFromUrl, sanitizeFileName } from "../../src/attachments/fileName";

describe("decodeBase64Strict", () => {
  it("decodes standard Base64 with line breaks and whitespace", () => {
    const bytes = Buffer.from("Hello, attachment world! ✓");
    const wrapped = bytes.toString("base64").replace(/(.{8})/g, "$1\r\n  ");
    const result = decodeBase64Strict(wrapped);
    expect(result).toEqual({ ok: true, bytes });
  });

  it("decodes unpadded and URL-safe Base64", () => {
    const bytes = Buffer.from([0xfb, 0xff, 0xbf, 0x00, 0x3e]);
    expect(decodeBase64Strict(bytes.toString("base64url"))).toEqual({ ok: true, bytes });
    expect(decodeBase64Strict(bytes.toString("base64").replace(/=+$/, ""))).toEqual({ ok: true, bytes });
    expect(decodeBase64Strict("SGVsbG")).toEqual({ ok: true, bytes: Buffer.from("Hell") });
  });

  it("round-trips arbitrary bytes in both alphabets", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }).filter((a) => a.length > 0), (array) => {
        const bytes = Buffer.from(array);
        for (const text of [bytes.toString("base64"), bytes.toString("base64url")]) {
          const result = decodeBase64Strict(text);
          expect(result.ok && result.bytes.equals(bytes)).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });

  it.each([
    ["", /empty/],
    ["  \r\n ", /empty/],
    ["SGVsbG8*", /character "\*" at position 8/],
    ["SGVs\nbG8%", /character "%" at position 9/],
    ["SGVsbG8=SGVs", /padding may only appear/],
    ["SGVsbG8===", /padding may only appear/],
    ["SGVsb", /length does not fit/],
    ["SGVsbA=", /padding does not match its length/],
    ["ab+c-d", /mixes the standard/],
    ["data:text/plain;base64,SGVsbG8=", /character ":"/],
  ])("refuses %j", (input, problem) => {
    const result = decodeBase64Strict(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(problem);
  });
});

describe("parseDataUrl", () => {
  it("decodes Base64 and percent-encoded data URLs with their media type", () => {
    expect(parseDataUrl("data:image/png;base64,iVBORw0K")).toEqual({ ok: true, contentType: "image/png", bytes: Buffer.from("iVBORw0K", "base64") });
    expect(parseDataUrl("data:text/csv;charset=utf-8,a%2Cb%0A%C3%BC")).toEqual({ ok: true, contentType: "text/csv; charset=utf-8", bytes: Buffer.from("a,b\nü") });
    expect(parseDataUrl("data:,hi")).toEqual({ ok: true, contentType: "text/plain; charset=US-ASCII", bytes: Buffer.from("hi") });
  });

  it("refuses malformed data URLs", () => {
    expect(parseDataUrl("data:image/png;base64")).toMatchObject({ ok: false, problem: expect.stringMatching(/no ","/) });
    expect(parseDataUrl("data:image/png;base64,iVB*ORw")).toMatchObject({ ok: false, problem: expect.stringMatching(/Base64 data is invalid/) });
    expect(parseDataUrl("data:not a type;base64,AAAA")).toMatchObject({ ok: false, problem: expect.stringMatching(/not a valid MIME type/) });
    expect(parseDataUrl("data:text/plain,100%")).toMatchObject({ ok: false, problem: expect.stringMatching(/"%"/) });
  });
});

describe("content types and file names", () => {
  it("validates type/subtype per RFC 2045 token rules and keeps parameters", () => {
    expect(normalizeContentType("Text/CSV")).toBe("text/csv");
    expect(normalizeContentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(normalizeContentType('text/calendar; method=REQUEST;charset="utf-8"')).toBe('text/calendar; method=REQUEST; charset="utf-8"');
    for (const bad of ["text", "text/", "/csv", "text/c sv", "text/csv\r\nX-Evil: 1", "text/(csv)", "a/b/c", "text/csv; charset", "tëxt/csv", ""]) {
      expect(normalizeContentType(bad)).toBeUndefined();
    }
  });

  it("adds charset=utf-8 to text types only", () => {
    expect(withUtf8Charset("text/csv")).toBe("text/csv; charset=utf-8");
    expect(withUtf8Charset("text/csv; charset=iso-8859-1")).toBe("text/csv; charset=iso-8859-1");
    expect(withUtf8Charset("application/json")).toBe("application/json");
  });

  it("derives default names from the type", () => {
    expect(defaultFileName("attachment", "application/pdf")).toBe("attachment.pdf");
    expect(defaultFileName("attachment", "application/octet-stream", "bin")).toBe("attachment.bin");
    expect(defaultFileName("attachment", "application/x-unknown-thing")).toBe("attachment");
  });

  it("cleans file names: no control characters, no path separators", () => {
    expect(sanitizeFileName("re\r\nport.pdf")).toBe("re port.pdf");
    expect(sanitizeFileName("../../etc/passwd")).toBe("_._etc_passwd");
    expect(sanitizeFileName("  \t ")).toBeUndefined();
    expect(sanitizeFileName("..")).toBeUndefined();
    expect(sanitizeFileName(`${"a".repeat(300)}.pdf`)).toMatch(/^a{196}\.pdf$/);
  });

  it("takes the decoded last path segment of a URL", () => {
    expect(fileNameFromUrl(new URL("https://example.com/files/Q3%20report%C3%BC.pdf?download=1#x"))).toBe("Q3 reportü.pdf");
    expect(fileNameFromUrl(new URL("https://example.com/"))).toBeUndefined();
    expect(fileNameFromUrl(new URL("https://example.com/a%2Fb.txt"))).toBe("a_b.txt");
    expect(fileNameFromUrl(new URL("https://example.com/bad%E0%A4%A.txt"))).toBe("bad%E0%A4%A.txt");
  });
});
