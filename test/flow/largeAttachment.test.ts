import { randomBytes } from "node:crypto";
import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import { closeAllTransports } from "../../src/delivery";
import { startHttpFileServer, type HttpFileServer } from "../message/helpers/httpFileServer";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { parseMessage, sha256 } from "../support/parseMessage";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { TEST_SECRETS } from "../support/testSecrets";
import { trustLoopback } from "../support/trustLoopback";
import { basicAuth, MAILBOX, message, serverConfig } from "./flowHelpers";

let smtp: SmtpTestServer;
let files: HttpFileServer;
const tenMegabytes = randomBytes(10 * 1024 * 1024);

beforeAll(async () => {
  smtp = await startSmtpTestServer({ security: "tls", auth: { users: { [MAILBOX]: TEST_SECRETS.password } } });
  files = await startHttpFileServer();
  files.serve("/report.bin", { body: tenMegabytes, contentType: "application/octet-stream" });
});
afterAll(async () => {
  await closeAllTransports();
  await smtp.close();
  await files.close();
});

/** Large attachments travel through the node's whole path, streamed into the SMTP session, byte for byte. */
describe("a 10 MB attachment through the node", () => {
  it.each<[string, () => Record<string, unknown>]>([
    ["from a URL", () => ({ attachmentType: "url", attachmentUrl: files.url("/report.bin"), allowPrivateNetworkUrls: true, maxAttachmentSizeMb: 11 })],
    ["from Base64", () => ({ attachmentType: "base64", attachmentBase64: tenMegabytes.toString("base64"), attachmentFileName: "report.bin" })],
  ])("arrives intact %s", async (_kind, attachment) => {
    const config = { ...serverConfig(smtp), ...basicAuth(), ...message, ...attachment(), timeoutSeconds: 15 };
    const before = smtp.messages.length;
    const result = await runSendSmtpEmail(cognigyApiStandIn().api, config, trustLoopback);
    expect(result.success).toBe(true);
    const parsed = await parseMessage(smtp.messages[before]!.raw);
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]).toMatchObject({ filename: "report.bin", size: tenMegabytes.length, sha256: sha256(tenMegabytes) });
  }, 60_000);
});
