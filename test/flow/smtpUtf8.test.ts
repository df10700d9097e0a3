import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import { closeAllTransports, resetCaches } from "../../src/delivery";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { TEST_SECRETS } from "../support/testSecrets";
import { basicAuth, MAILBOX, message, serverConfig } from "./flowHelpers";

const servers: SmtpTestServer[] = [];
afterEach(() => resetCaches());
afterAll(async () => {
  await closeAllTransports();
  await Promise.all(servers.map((server) => server.close()));
});

async function serverWith(smtputf8: boolean, strictUtf8Addresses = true): Promise<SmtpTestServer> {
  const server = await startSmtpTestServer({ security: "tls", smtputf8, strictUtf8Addresses, auth: { users: { [MAILBOX]: TEST_SECRETS.password } } });
  servers.push(server);
  return server;
}

describe("internationalized addresses", () => {
  it("sends a non-ASCII local part when the server offers SMTPUTF8", async () => {
    const server = await serverWith(true);
    const result = await runSendSmtpEmail(cognigyApiStandIn().api, { ...serverConfig(server), ...basicAuth(), ...message, to: "jörg@example.de" });
    expect(result.success).toBe(true);
    expect(server.messages.at(-1)?.envelope.rcptTo).toEqual(["jörg@example.de"]);
  });

  it("refuses before sending anything when the server does not offer it", async () => {
    const server = await serverWith(false);
    const result = await runSendSmtpEmail(cognigyApiStandIn().api, { ...serverConfig(server), ...basicAuth(), ...message, to: "jörg@example.de" });
    expect(result).toMatchObject({ success: false, error: { code: "address", message: expect.stringMatching(/SMTPUTF8/) } });
    expect(server.messages).toHaveLength(0);
    expect(server.commands.some((record) => record.command === "MAIL")).toBe(false);
  });

  it("needs no SMTPUTF8 for an internationalized domain: it goes out as punycode", async () => {
    // smtp-server decodes punycode back to Unicode before its own strictness check, so read the wire instead.
    const server = await serverWith(false, false);
    const result = await runSendSmtpEmail(cognigyApiStandIn().api, { ...serverConfig(server), ...basicAuth(), ...message, to: "joerg@bücher.de" });
    expect(result.success).toBe(true);
    expect(server.commands.find((record) => record.command === "RCPT")?.line).toMatch(/<joerg@xn--bcher-kva\.de>/);
  });
});
