/**
 * Build MIME → Send SMTP Email with the values Cognigy really hands over. CognigyScript in a JSON field
 * keeps an object whole ("{{input.mimePart}}" arrives as the object); in a text field every expression
 * yields text, so the same reference arrives as "[object Object]" and only "{{input.mimePart.raw}}" works.
 */
import type { MimePartValue } from "../../src/attachments/mimePart";
import extension from "../../src/module";
import type { FailureResult } from "../../src/result/sendResult";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { type SmtpTestServer } from "../support/smtpTestServer";
import { basicAuth, executeNode, message, serverConfig, useFlowServer } from "./flowHelpers";

const server = useFlowServer();

/** Runs Build MIME, then Send SMTP Email with the attachment fields `fields(part)` gives. */
async function buildThenSend(fields: (part: MimePartValue) => Record<string, unknown>) {
  const cognigy = cognigyApiStandIn();
  await executeNode("buildMime", cognigy, { contentType: "text/calendar", fileName: "invite.ics", contentSource: "text", contentText: "BEGIN:VCALENDAR\nEND:VCALENDAR\n", storeLocation: "input", inputKey: "mimePart" });
  const part = cognigy.input.mimePart as MimePartValue;
  expect(part.type).toBe("mimePart");
  const before = server().messages.length;
  await executeNode("sendSmtpEmail", cognigy, { ...serverConfig(server()), ...basicAuth(), ...message, storeLocation: "context", contextKey: "mail", ...fields(part) });
  return { result: cognigy.context.mail as { success: boolean } & Partial<FailureResult>, sent: server().messages.slice(before) };
}

const arrivedWithInvite = (sent: SmtpTestServer["messages"]) => {
  expect(sent).toHaveLength(1);
  expect(sent[0]?.raw.toString("latin1")).toContain("filename=invite.ics");
};

describe("Pregenerated MIME Part as Cognigy passes it", () => {
  it("is a JSON field, where CognigyScript keeps the object whole", () => {
    const field = extension.nodes.find((node) => node.type === "sendSmtpEmail")!.fields!.find((candidate) => candidate.key === "attachmentMime")!;
    expect(field.type).toBe("json");
  });

  it('"{{input.mimePart}}" in the JSON field: the object arrives and is attached', async () => {
    const { result, sent } = await buildThenSend((part) => ({ attachmentType: "mime", attachmentMime: part }));
    expect(result.success).toBe(true);
    arrivedWithInvite(sent);
  });

  it('"{{input.mimePart.raw}}": the raw MIME text arrives and is attached', async () => {
    const { result, sent } = await buildThenSend((part) => ({ attachmentType: "mime", attachmentMime: part.raw }));
    expect(result.success).toBe(true);
    arrivedWithInvite(sent);
  });

  it("a value saved by the earlier text field, the part's JSON text, still works", async () => {
    const { result, sent } = await buildThenSend((part) => ({ attachmentType: "mime", attachmentMime: JSON.stringify(part) }));
    expect(result.success).toBe(true);
    arrivedWithInvite(sent);
  });

  it('"[object Object]" from a text field: nothing is sent and the hint says exactly what works', async () => {
    const { result, sent } = await buildThenSend(() => ({ attachmentType: "mime", attachmentMime: "[object Object]" }));
    expect(sent).toHaveLength(0);
    expect(result.success).toBe(false);
    expect(result.error).toMatchObject({ code: "attachment", field: "attachmentMime" });
    expect(result.error?.message).toContain('received the text "[object Object]"');
    expect(result.error?.hint).toContain('"{{input.mimePart}}", with the quotes, into the Pregenerated MIME Part JSON field');
    expect(result.error?.hint).toContain('"{{input.mimePart.raw}}"');
  });

  it("an untouched JSON field ({}) is reported as empty", async () => {
    const { result, sent } = await buildThenSend(() => ({ attachmentType: "mime", attachmentMime: {} }));
    expect(sent).toHaveLength(0);
    expect(result.error).toMatchObject({ code: "configuration", field: "attachmentMime" });
    expect(result.error?.message).toContain('enter "{{input.mimePart}}", with the quotes');
  });
});

describe("mime entries of Additional Attachments (a JSON field)", () => {
  it('"mime": "{{input.mimePart}}" arrives as the object and is attached', async () => {
    const { result, sent } = await buildThenSend((part) => ({ extraAttachments: [{ type: "mime", mime: part }] }));
    expect(result.success).toBe(true);
    arrivedWithInvite(sent);
  });

  it('"mime": "{{input.mimePart.raw}}" is attached', async () => {
    const { result, sent } = await buildThenSend((part) => ({ extraAttachments: [{ type: "mime", mime: part.raw }] }));
    expect(result.success).toBe(true);
    arrivedWithInvite(sent);
  });

  it('a "mime" entry that arrives as "[object Object]" gets the hint for Additional Attachments', async () => {
    const { result, sent } = await buildThenSend(() => ({ extraAttachments: [{ type: "mime", mime: "[object Object]" }] }));
    expect(sent).toHaveLength(0);
    expect(result.error).toMatchObject({ code: "attachment", field: "extraAttachments" });
    expect(result.error?.hint).toContain('{ "type": "mime", "mime": "{{input.mimePart}}" }');
  });
});
