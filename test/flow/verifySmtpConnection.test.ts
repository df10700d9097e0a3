import { runVerifySmtpConnection } from "../../src/execution/runVerifySmtpConnection";
import { closeAllTransports, resetCaches } from "../../src/delivery";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { TEST_SECRETS } from "../support/testSecrets";
import { startTokenEndpoint, type TokenEndpoint } from "../support/tokenEndpoint";
import { basicAuth, MAILBOX, serverConfig } from "./flowHelpers";

let server: SmtpTestServer;
let endpoint: TokenEndpoint;

beforeAll(async () => {
  endpoint = await startTokenEndpoint({ clients: { "app-id": TEST_SECRETS.clientSecret } });
  server = await startSmtpTestServer({
    security: "starttls",
    auth: { users: { [MAILBOX]: TEST_SECRETS.password }, tokens: (_user, token) => endpoint.isValidToken(token) },
  });
});
afterEach(() => resetCaches());
afterAll(async () => {
  await closeAllTransports();
  await server.close();
  await endpoint.close();
});

describe("Test SMTP Connection", () => {
  it("logs in with a password, sends nothing and stores the outcome", async () => {
    const cognigy = cognigyApiStandIn();
    await runVerifySmtpConnection(cognigy.api, { ...serverConfig(server, "starttls"), ...basicAuth(), storeLocation: "context", contextKey: "smtpCheck" });
    expect(cognigy.context.smtpCheck).toEqual({ success: true, transport: "smtp", secure: true, authenticated: true, server: `127.0.0.1:${server.port}` });
    expect(server.messages).toHaveLength(0);
  });

  it("fetches a token for OAuth2 Client Credentials", async () => {
    const cognigy = cognigyApiStandIn();
    await runVerifySmtpConnection(cognigy.api, {
      ...serverConfig(server, "starttls"),
      authMethod: "oauth2ClientCredentials",
      clientCredentialsConnection: { tokenEndpointUrl: endpoint.url, clientId: "app-id", clientSecret: TEST_SECRETS.clientSecret, user: MAILBOX },
    });
    expect(cognigy.input.smtpConnectionTest).toMatchObject({ success: true, authenticated: true });
    expect(endpoint.requestCount).toBeGreaterThanOrEqual(1);
  });

  it("stores a failure with its hint and honours Stop on Error", async () => {
    const cognigy = cognigyApiStandIn();
    await runVerifySmtpConnection(cognigy.api, { ...serverConfig(server, "starttls"), ...basicAuth(TEST_SECRETS.wrongPassword), stopOnError: true });
    expect(cognigy.input.smtpConnectionTest).toMatchObject({
      success: false,
      authenticated: false,
      error: { code: "authentication", hint: expect.stringMatching(/password/) },
    });
    expect(cognigy.stopped).toBe(true);
  });
});
