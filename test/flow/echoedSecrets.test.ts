/**
 * Servers and token endpoints that quote back what the client sent, so the credentials come back in
 * their wire encoding (Base64 AUTH payloads, form-encoded bodies, HTTP Basic headers). Nothing of it
 * may reach a stored result or a log line, in any encoding: findLeaks decodes before it searches.
 */
import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import { SecretSet } from "../../src/result/redactSecrets";
import type { FailureResult } from "../../src/result/sendResult";
import { closeAllTransports, resetCaches, sendMail, verifyConnection } from "../../src/delivery";
import { message as mailMessage, transportConfig, withDeadline } from "../delivery/helpers/fixtures";
import { cognigyApiStandIn, type CognigyApiStandIn } from "../support/cognigyApiStandIn";
import { findLeaks } from "../support/findLeaks";
import { startSmtpTestServer, type SmtpAuthMethod, type SmtpTestServer } from "../support/smtpTestServer";
import { allTestSecrets, runtimeSecrets, TEST_SECRETS } from "../support/testSecrets";
import { startTokenEndpoint, tokenErrors, type TokenEndpoint } from "../support/tokenEndpoint";
import { basicAuth, MAILBOX, message, serverConfig } from "./flowHelpers";
import { testCa } from "../support/tlsFixtures";

const servers: SmtpTestServer[] = [];
let endpoint: TokenEndpoint;

beforeAll(async () => {
  endpoint = await startTokenEndpoint({ clients: { "app-id": TEST_SECRETS.clientSecret, "special-app": TEST_SECRETS.specialSecret }, refreshTokens: [TEST_SECRETS.refreshToken] });
});
afterEach(async () => {
  await resetCaches();
  endpoint.failWith = undefined;
  endpoint.echoRequest = false;
});
afterAll(async () => {
  await closeAllTransports();
  await Promise.all(servers.map((server) => server.close()));
  await endpoint.close();
});

/** A server that knows the mailbox with another password and rejects any token, quoting what it got. */
async function echoingServer(methods: SmtpAuthMethod[]): Promise<SmtpTestServer> {
  const server = await startSmtpTestServer({ security: "tls", echoRejectedAuth: true, auth: { users: { [MAILBOX]: "the-real-password" }, tokens: () => false, methods } });
  servers.push(server);
  return server;
}

async function send(config: Record<string, unknown>): Promise<{ cognigy: CognigyApiStandIn; error: FailureResult["error"] }> {
  const cognigy = cognigyApiStandIn();
  const result = await runSendSmtpEmail(cognigy.api, { ...message, ...config, storeLocation: "input", inputKey: "smtpResult" });
  if (result.success) throw new Error("expected the send to fail");
  return { cognigy, error: result.error };
}

function expectNoLeak(cognigy: CognigyApiStandIn): void {
  expect(findLeaks([cognigy.transcript(), JSON.stringify(cognigy.input)], allTestSecrets())).toEqual([]);
}

/** The reply lines the server sent that quote a credential payload: proof the test provoked the echo. */
const echoes = (server: SmtpTestServer) => server.replies.filter((reply) => reply.line.includes("rejected AUTH"));

describe("a server that quotes the rejected AUTH command", () => {
  it.each<[SmtpAuthMethod, string]>([
    ["PLAIN", TEST_SECRETS.password],
    ["LOGIN", TEST_SECRETS.password],
    ["PLAIN", TEST_SECRETS.specialSecret],
    ["LOGIN", TEST_SECRETS.specialSecret],
  ])("AUTH %s with the password %j: no form of it is stored or logged", async (method, password) => {
    const server = await echoingServer([method]);
    const { cognigy, error } = await send({ ...serverConfig(server), ...basicAuth(password) });
    expect(echoes(server)).toHaveLength(1);
    expect(error).toMatchObject({ code: "authentication", message: expect.stringContaining(`rejected AUTH ${method} [redacted]`) });
    expectNoLeak(cognigy);
  });

  it("a password of any length is redacted, also a short one quoted as it is", async () => {
    const short = "Zq9";
    runtimeSecrets.add(short);
    const server = await echoingServer(["PLAIN"]);
    server.echoRejectedAuth = false;
    server.authFailureReply = { code: 535, message: `5.7.8 password ${short} is wrong` };
    const { cognigy, error } = await send({ ...serverConfig(server), ...basicAuth(short) });
    expect(error.message).toContain("password [redacted] is wrong");
    expectNoLeak(cognigy);
  });

  it("a short password inside the quoted AUTH PLAIN payload", async () => {
    const short = "Zq9";
    runtimeSecrets.add(short);
    const server = await echoingServer(["PLAIN"]);
    const { cognigy } = await send({ ...serverConfig(server), ...basicAuth(short) });
    expect(echoes(server)).toHaveLength(1);
    expectNoLeak(cognigy);
  });

  it("XOAUTH2 with a configured access token: the Base64 XOAUTH2 string is not stored", async () => {
    const server = await echoingServer(["XOAUTH2"]);
    const { cognigy, error } = await send({ ...serverConfig(server), authMethod: "oauth2", oauth2Connection: { user: MAILBOX, accessToken: TEST_SECRETS.accessToken } });
    expect(echoes(server)).toHaveLength(1);
    expect(error.code).toBe("authentication");
    expectNoLeak(cognigy);
  });

  it("XOAUTH2 with a token issued at run time (client credentials): the token is redacted too", async () => {
    const server = await echoingServer(["XOAUTH2"]);
    const before = endpoint.issuedTokens.length;
    const { cognigy, error } = await send({
      ...serverConfig(server),
      authMethod: "oauth2ClientCredentials",
      clientCredentialsConnection: { tokenEndpointUrl: endpoint.url, clientId: "app-id", clientSecret: TEST_SECRETS.clientSecret, user: MAILBOX },
    });
    expect(endpoint.issuedTokens.length).toBe(before + 1);
    expect(echoes(server)).toHaveLength(1);
    expect(error.code).toBe("authentication");
    expectNoLeak(cognigy);
  });

  it("a long Base64 run in the reply to a login is not shown, even when it matches no configured secret", async () => {
    // E.g. the payload of an earlier, since changed password that the server still quotes.
    const stale = Buffer.from(`\u0000${MAILBOX}\u0000an-old-password-1`).toString("base64");
    const server = await echoingServer(["PLAIN"]);
    server.echoRejectedAuth = false;
    server.authFailureReply = { code: 535, message: `5.7.8 rejected AUTH PLAIN ${stale}` };
    const { error } = await send({ ...serverConfig(server), ...basicAuth() });
    expect(error.message).toContain("rejected AUTH PLAIN [redacted]");
    expect(error.message).not.toContain(stale.slice(0, 16));
  });
});

describe("tokens obtained while sending join the caller's secret set", () => {
  const config = () =>
    transportConfig({
      emailService: "custom",
      host: "127.0.0.1",
      security: "tls",
      caCertificate: testCa.toString("utf8"),
      authMethod: "oauth2ClientCredentials",
      clientCredentialsConnection: { tokenEndpointUrl: endpoint.url, clientId: "app-id", clientSecret: TEST_SECRETS.clientSecret, user: MAILBOX },
    });

  it.each(["sendMail", "verifyConnection"] as const)("%s adds the access token it used", async (operation) => {
    const server = await startSmtpTestServer({ security: "tls", auth: { tokens: (_user, token) => endpoint.isValidToken(token) } });
    servers.push(server);
    const transport = { ...config(), server: { ...config().server, port: server.port } };
    const secrets = new SecretSet();
    await withDeadline<unknown>(10_000, (deadline) =>
      operation === "sendMail" ? sendMail(transport, mailMessage("token"), deadline, secrets) : verifyConnection(transport, deadline, secrets),
    );
    const token = endpoint.issuedTokens.at(-1)?.accessToken ?? "";
    expect(token).not.toBe("");
    expect(secrets.redact(`token ${token} and ${Buffer.from(token).toString("base64")}`)).toBe("token [redacted] and [redacted]");
  });
});

describe("a token endpoint that echoes its request in the error", () => {
  const clientCredentials = (clientId: string, clientSecret: string, clientAuthStyle: "body" | "header") => ({
    authMethod: "oauth2ClientCredentials",
    clientAuthStyle,
    clientCredentialsConnection: { tokenEndpointUrl: endpoint.url, clientId, clientSecret, user: MAILBOX },
  });

  it.each<["body" | "header", string, string]>([
    ["body", "app-id", TEST_SECRETS.clientSecret],
    ["header", "app-id", TEST_SECRETS.clientSecret],
    ["body", "special-app", TEST_SECRETS.specialSecret],
    ["header", "special-app", TEST_SECRETS.specialSecret],
  ])("client secret in the %s (%s): neither form-encoded nor in the Basic header", async (style, clientId, clientSecret) => {
    const server = await echoingServer(["XOAUTH2"]);
    endpoint.failWith = tokenErrors.invalidClient();
    endpoint.echoRequest = true;
    const { cognigy, error } = await send({ ...serverConfig(server), ...clientCredentials(clientId, clientSecret, style) });
    expect(error).toMatchObject({ code: "token", message: expect.stringContaining("Request: ") });
    expect(error.message).toContain(style === "header" ? "Authorization: Basic [redacted]" : "client_secret=[redacted]");
    expectNoLeak(cognigy);
  });

  it("a long Base64 run in the endpoint's error is not shown, even when it matches no configured secret", async () => {
    const stale = Buffer.from("app-id:an-old-client-secret").toString("base64");
    const server = await echoingServer(["XOAUTH2"]);
    endpoint.failWith = tokenErrors.invalidClient(`Client authentication failed for Basic ${stale}`);
    const { error } = await send({ ...serverConfig(server), ...clientCredentials("app-id", TEST_SECRETS.clientSecret, "header") });
    expect(error.message).toContain("Client authentication failed for Basic [redacted]");
  });

  it("refresh token and client secret in the refresh request body", async () => {
    const server = await echoingServer(["XOAUTH2"]);
    endpoint.failWith = tokenErrors.invalidGrant();
    endpoint.echoRequest = true;
    const { cognigy, error } = await send({
      ...serverConfig(server),
      authMethod: "oauth2",
      oauth2Connection: { user: MAILBOX, clientId: "app-id", clientSecret: TEST_SECRETS.clientSecret, refreshToken: TEST_SECRETS.refreshToken, accessUrl: endpoint.url },
    });
    expect(error).toMatchObject({ code: "token", message: expect.stringContaining("refresh_token=[redacted]") });
    expectNoLeak(cognigy);
  });
});
