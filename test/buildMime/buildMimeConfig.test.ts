import { parseBuildMimeConfig } from "../../src/config/buildMimeConfig";
import { SmtpEmailError } from "../../src/errors/SmtpEmailError";

function errorOf(raw: unknown): SmtpEmailError {
  try {
    parseBuildMimeConfig(raw);
  } catch (error) {
    if (error instanceof SmtpEmailError) return error;
    throw error;
  }
  throw new Error("expected a configuration error");
}

describe("parseBuildMimeConfig", () => {
  it("reads a full configuration", () => {
    expect(
      parseBuildMimeConfig({
        contentType: " Text/Calendar; method=REQUEST ",
        fileName: "invite.ics",
        contentSource: "text",
        contentText: "BEGIN:VCALENDAR",
        disposition: "inline",
        contentId: "<invite@example.com>",
        headers: { "Content-Language": "de", "X-Count": 3 },
        storeLocation: "context",
        contextKey: "parts.invite",
      }),
    ).toEqual({
      part: {
        contentType: "text/calendar; method=REQUEST",
        fileName: "invite.ics",
        content: { source: "text", text: "BEGIN:VCALENDAR" },
        disposition: "inline",
        contentId: "invite@example.com",
        headers: { "Content-Language": "de", "X-Count": "3" },
      },
      storage: { location: "context", key: "parts.invite" },
    });
  });

  it("applies the node's defaults to empty values, storing in input.mimePart", () => {
    expect(parseBuildMimeConfig({ contentType: "", fileName: null, contentSource: "", headers: "", storeLocation: "", inputKey: "" })).toEqual({
      part: { contentType: undefined, fileName: undefined, content: { source: "text", text: "" }, disposition: "attachment", contentId: undefined, headers: {} },
      storage: { location: "input", key: "mimePart" },
    });
    expect(parseBuildMimeConfig({ headers: '{"X-A": "b"}' }).part.headers).toEqual({ "X-A": "b" });
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["an invalid content type", { contentType: "calendar" }, "contentType", /Content Type "calendar" is not a valid MIME type/],
    ["a multipart content type", { contentType: "multipart/mixed" }, "contentType", /multipart type/],
    ["a content ID with a space", { contentId: "my logo" }, "contentId", /Content ID may only contain printable ASCII characters without spaces/],
    ["a content ID with a line break", { contentId: "a\r\nX-Evil: 1" }, "contentId", /Content ID/],
    ["a file name with a line break", { fileName: "a\r\nX-Evil: 1.txt" }, "fileName", /File Name contains a line break/],
    ["Base64 without content", { contentSource: "base64" }, "contentBase64", /Base64 Content is empty/],
    ["headers that are a list", { headers: ["X-A: b"] }, "headers", /must be a JSON object/],
    ["headers that are not JSON", { headers: "{X-A: b" }, "headers", /Extra Headers \(headers\) is not valid JSON/],
    ["a header name with a space", { headers: { "X A": "b" } }, "headers", /"X A" is not a valid header name/],
    ["a header name with a colon", { headers: { "X-A:": "b" } }, "headers", /not a valid header name/],
    ["a reserved header", { headers: { "content-type": "text/html" } }, "headers", /"content-type" is set by the node's own fields/],
    ["a header value with a line break", { headers: { "X-A": "b\r\nBcc: x@example.com" } }, "headers", /value of "X-A" contains a line break/],
    ["a header value that is an object", { headers: { "X-A": { b: 1 } } }, "headers", /value of "X-A" must be text/],
    ["an invalid disposition", { disposition: "download" }, "disposition", /must be one of: attachment, inline/],
    ["an invalid input key", { storeLocation: "input", inputKey: "my key" }, "inputKey", /not a valid key/],
  ])("refuses %s, naming the field", (_label, raw, field, message) => {
    const error = errorOf(raw);
    expect(error.code).toBe("configuration");
    expect(error.details.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.hint).toContain("Build MIME");
  });
});
