/**
 * nodemailer passes a file name that already is an RFC 2047 encoded word through as it is, and the
 * recipient's client decodes it: to a path ("../../.bashrc") or a name with a line break. Every such
 * name is decoded and cleaned before sending; here the recipient's view is checked with postal-mime.
 */
import { runBuildMime } from "../../src/execution/runBuildMime";
import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { parseMessage } from "../support/parseMessage";
import { basicAuth, message, serverConfig, useFlowServer } from "./flowHelpers";

const server = useFlowServer();

const HOSTILE_NAMES = [
  "=?utf-8?Q?..=2F..=2F.bashrc?=",
  "=?utf-8?B?Li4vLi4vLmJhc2hyYw==?=",
  "=?UTF-8?Q?a=0D=0AX-Evil:_1.txt?=",
  "=?iso-8859-1?Q?..=5C..=5Cwin.ini?=",
  "=?utf-8?Q?invoice=E2=80=AEfdp.exe?=",
  "=?utf-8?Q?=3D=3Futf-8=3FQ=3F=2E=2E=2F.ssh=3F=3D?=",
];

/** What a recipient's client would do with the name: save it in its download folder, nowhere else, in one line. */
function expectSafe(fileName: string | undefined): void {
  expect(fileName).toBeDefined();
  expect(fileName).not.toMatch(/[/\\\r\n\u0000-\u001f\u202e]|\.\.|^\.|=\?/);
}

it("names that are encoded words arrive decoded and safe, for every attachment kind and Build MIME", async () => {
  const cognigy = cognigyApiStandIn();
  const parts: unknown[] = [];
  for (const fileName of HOSTILE_NAMES) {
    await runBuildMime(cognigy.api, { contentType: "text/plain", fileName, contentSource: "text", contentText: "x", storeLocation: "input", inputKey: "mimePart" });
    expect(cognigy.input.mimePart).toMatchObject({ type: "mimePart" });
    parts.push(cognigy.input.mimePart);
  }
  const kinds = HOSTILE_NAMES.flatMap((fileName) => [
    { type: "text", text: "x", fileName },
    { type: "base64", base64: "AAEC", fileName },
    { type: "custom", content: "x", contentType: "text/csv", fileName },
    { type: "url", url: "data:text/plain,x", fileName },
  ]);
  const attachments = [...kinds, ...parts.map((mime) => ({ type: "mime", mime }))];
  // Sent in batches of a few, within any per-mail attachment limit.
  for (let i = 0; i < attachments.length; i += 6) {
    const before = server().messages.length;
    const result = await runSendSmtpEmail(cognigy.api, { ...serverConfig(server()), ...basicAuth(), ...message, extraAttachments: attachments.slice(i, i + 6) });
    expect(result).toMatchObject({ success: true });
    const [received] = (await server().waitForMessages(before + 1)).slice(before);
    const parsed = await parseMessage(received!.raw);
    expect(parsed.headers.map((header) => header.key)).not.toContain("x-evil");
    expect(parsed.attachments).toHaveLength(attachments.slice(i, i + 6).length);
    for (const attachment of parsed.attachments) expectSafe(attachment.filename ?? undefined);
  }
});

it("a legitimate encoded name keeps its meaning", async () => {
  const cognigy = cognigyApiStandIn();
  const before = server().messages.length;
  await runSendSmtpEmail(cognigy.api, { ...serverConfig(server()), ...basicAuth(), ...message, attachmentType: "text", attachmentText: "x", attachmentFileName: "=?utf-8?Q?Rechnung_M=C3=A4rz.txt?=" });
  const [received] = (await server().waitForMessages(before + 1)).slice(before);
  expect((await parseMessage(received!.raw)).attachments[0]?.filename).toBe("Rechnung März.txt");
});
