import { createServer, type Server } from "node:net";
import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import type { FailureResult } from "../../src/result/sendResult";
import { closeAllTransports, resetCaches } from "../../src/delivery";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { TEST_SECRETS } from "../support/testSecrets";
import { startTokenEndpoint, tokenErrors, type TokenEndpoint } from "../support/tokenEndpoint";
import { basicAuth, MAILBOX, message, serverConfig } from "./flowHelpers";

const servers: Array<{ close(): Promise<void> }> = [];
async function smtp(options: Parameters<typeof startSmtpTestServer>[0]): Promise<SmtpTestServer> {
  const server = await startSmtpTestServer(options);
  servers.push(server);
  return server;
}
async function tokenEndpoint(): Promise<TokenEndpoint> {
  const endpoint = await startTokenEndpoint({ clients: { "app-id": TEST_SECRETS.clientSecret } });
  servers.push(endpoint);
  return endpoint;
}

afterEach(() => resetCaches());
afterAll(async () => {
  await closeAllTransports();
  await Promise.all(servers.map((server) => server.close()));
});

async function failureOf(config: Record<string, unknown>): Promise<FailureResult["error"]> {
  const cognigy = cognigyApiStandIn();
  const result = await runSendSmtpEmail(cognigy.api, { ...message, ...config });
  if (result.success) throw new Error("expected the send to fail");
  expect(cognigy.logs("error")).toHaveLength(1);
  return result.error;
}

const withPassword = (server: SmtpTestServer) => ({ ...serverConfig(server), ...basicAuth() });

describe("errors that say the fix", () => {
  it("Microsoft 365 with basic authentication disabled (535 5.7.139)", async () => {
    const server = await smtp({
      security: "starttls",
      auth: { users: { [MAILBOX]: TEST_SECRETS.password } },
      authFailureReply: { code: 535, message: "5.7.139 Authentication unsuccessful, basic authentication is disabled." },
    });
    const error = await failureOf({ ...serverConfig(server, "starttls"), ...basicAuth() });
    expect(error).toMatchObject({ code: "authentication", responseCode: 535 });
    expect(error.hint).toMatch(/OAuth2 Client Credentials/);
    expect(error.hint).toMatch(/Delivery Microsoft Graph/);
  });

  it("Microsoft 365 without SMTP.SendAsApp (535 5.7.3)", async () => {
    const endpoint = await tokenEndpoint();
    const server = await smtp({
      security: "starttls",
      auth: { tokens: (_user, token) => endpoint.isValidToken(token) },
      authFailureReply: { code: 535, message: "5.7.3 Authentication unsuccessful [SN4PR0601CA0012.namprd06.prod.outlook.com]" },
    });
    const error = await failureOf({
      ...serverConfig(server, "starttls"),
      authMethod: "oauth2ClientCredentials",
      clientCredentialsConnection: { tokenEndpointUrl: endpoint.url, clientId: "app-id", clientSecret: TEST_SECRETS.clientSecret, user: MAILBOX },
    });
    expect(error).toMatchObject({ code: "authentication", responseCode: 535 });
    expect(error.hint).toMatch(/SMTP\.SendAsApp/);
    expect(error.hint).toMatch(/service principal/);
  });

  it("Gmail refusing the password (535 5.7.8 BadCredentials)", async () => {
    const server = await smtp({
      security: "tls",
      auth: { users: { [MAILBOX]: TEST_SECRETS.password } },
      authFailureReply: { code: 535, message: "5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials" },
    });
    const error = await failureOf(withPassword(server));
    expect(error).toMatchObject({ code: "authentication", responseCode: 535 });
    expect(error.hint).toMatch(/app password/);
  });

  it("TLS spoken to a plain-text port (wrong version number)", async () => {
    const server = await smtp({ security: "none" });
    const error = await failureOf({ ...serverConfig(server, "tls"), authMethod: "none", from: MAILBOX });
    expect(error.code).toBe("tls");
    expect(error.hint).toMatch(/465/);
    expect(error.hint).toMatch(/587/);
  });

  it("a server that never sends its greeting", async () => {
    const server = await smtp({ neverGreet: true });
    const started = Date.now();
    const error = await failureOf({ ...serverConfig(server, "starttls"), authMethod: "none", from: MAILBOX, timeoutSeconds: 1 });
    expect(error.code).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("a refused connection", async () => {
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failureOf({ emailService: "custom", host: "127.0.0.1", port, security: "none", authMethod: "none", from: MAILBOX });
    expect(error).toMatchObject({ code: "connection", field: "host" });
    expect(error.message).toBe(`127.0.0.1:${port} refused the connection.`);
    expect(error.hint).toMatch(/SMTP Host and SMTP Port/);
  });

  it("a host name that does not resolve (the first send's own socket looks it up, before nodemailer's client is loaded)", async () => {
    // .invalid never resolves (RFC 6761), so the resolver answers at once without asking anyone.
    const error = await failureOf({ emailService: "custom", host: "smtp.example.invalid", port: 587, security: "starttls", authMethod: "none", from: MAILBOX, timeoutSeconds: 5 });
    expect(error).toMatchObject({ code: "connection", field: "host" });
    expect(error.message).toBe("The host name smtp.example.invalid could not be resolved.");
    expect(error.hint).toBe("Check the spelling of SMTP Host.");
  });

  it("an untrusted certificate", async () => {
    const server = await smtp({ security: "tls", cert: "untrusted" });
    const error = await failureOf({ ...serverConfig(server, "tls"), authMethod: "none", from: MAILBOX });
    expect(error.code).toBe("tls");
    expect(error.hint).toMatch(/CA certificate/i);
  });

  it.each([
    ["AADSTS7000215 (wrong secret)", tokenErrors.invalidClient("AADSTS7000215: Invalid client secret provided. Trace ID: 1"), /Value/],
    ["invalid_grant", tokenErrors.invalidGrant("AADSTS70000: The provided grant is invalid."), /grant|permissions/],
    ["invalid_scope", tokenErrors.invalidScope("AADSTS70011: The provided value for scope is not valid."), /outlook\.office365\.com\/\.default/],
  ])("a token endpoint answering %s", async (_name, failure, hint) => {
    const endpoint = await tokenEndpoint();
    endpoint.failWith = failure;
    const server = await smtp({ security: "tls", auth: { tokens: (_user, token) => endpoint.isValidToken(token) } });
    const error = await failureOf({
      ...serverConfig(server, "tls"),
      authMethod: "oauth2ClientCredentials",
      clientCredentialsConnection: { tokenEndpointUrl: endpoint.url, clientId: "app-id", clientSecret: TEST_SECRETS.clientSecret, user: MAILBOX },
    });
    expect(error.code).toBe("token");
    expect(error.message).toContain(String((failure.body as { error: string }).error));
    expect(error.hint).toMatch(hint);
    // The connection was set up beside the token request; without a token it never logs in, nor sends.
    expect(server.authAttempts).toHaveLength(0);
    expect(server.commands.filter((command) => command.command === "MAIL")).toHaveLength(0);
  });

  it("a rejected recipient", async () => {
    const server = await smtp({
      security: "tls",
      auth: { users: { [MAILBOX]: TEST_SECRETS.password } },
      onRcptTo: () => ({ code: 550, message: "5.1.1 User unknown" }),
    });
    const error = await failureOf(withPassword(server));
    expect(error).toMatchObject({ code: "rejected", responseCode: 550, field: "to" });
  });

  it("a message larger than the server's SIZE", async () => {
    const server = await smtp({ security: "tls", auth: { users: { [MAILBOX]: TEST_SECRETS.password } }, size: 1000 });
    const error = await failureOf({ ...withPassword(server), content: `<p>${"x".repeat(5000)}</p>` });
    expect(error).toMatchObject({ code: "rejected", responseCode: 552 });
    expect(error.hint).toMatch(/smaller/);
  });

  it("an invalid address, before anything is sent", async () => {
    const server = await smtp({ security: "tls", auth: { users: { [MAILBOX]: TEST_SECRETS.password } } });
    const error = await failureOf({ ...withPassword(server), cc: "bob@" });
    expect(error).toMatchObject({ code: "address", field: "cc" });
    expect(server.connections).toBe(0);
  });

  it("HTML nested 100,000 levels deep: a content problem, not a connection failure", async () => {
    const server = await smtp({ security: "tls", auth: { users: { [MAILBOX]: TEST_SECRETS.password } } });
    const error = await failureOf({ ...withPassword(server), content: `${"<div>".repeat(100_000)}x${"</div>".repeat(100_000)}` });
    expect(error).toMatchObject({ code: "configuration", field: "content" });
    expect(error.message).toMatch(/more than 128 levels deep/);
    // Found while the message was prepared, beside the connection: nothing is sent.
    expect(server.commands.filter((command) => command.command === "MAIL")).toHaveLength(0);
    expect(server.dataCount).toBe(0);
  });
});
