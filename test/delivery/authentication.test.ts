/**
 * Logins that fail, tokens that are revoked, expired or rotated, and token endpoints that refuse:
 * each ends in a clear SmtpEmailError without any secret, or recovers with exactly one renewal.
 */
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { startTokenEndpoint, tokenErrors, type TokenEndpoint } from "../support/tokenEndpoint";
import { cacheStats, closeAllTransports, resetCaches, sendMail, verifyConnection } from "../../src/delivery";
import { message, rejectionOf, sleep, TEST_CA_PEM, transportConfig, withDeadline } from "./helpers/fixtures";

const PASSWORD = "right-Pa55word";
const CC_SECRET = "cc-Secret~value.with-chars";
const REFRESH_SECRET = "refresh-client-Secret";
const REFRESH_TOKEN = "rt_configured_refresh_token";

let server: SmtpTestServer;
let endpoint: TokenEndpoint;

beforeAll(async () => {
  endpoint = await startTokenEndpoint({ clients: { "cc-app": CC_SECRET, "refresh-app": REFRESH_SECRET }, refreshTokens: [REFRESH_TOKEN] });
  server = await startSmtpTestServer({ security: "starttls", auth: { users: { alice: PASSWORD }, tokens: (_user, token) => endpoint.isValidToken(token) } });
});

beforeEach(async () => {
  await resetCaches();
  server.clear();
  server.authFailureReply = undefined;
  endpoint.requests.length = 0;
  endpoint.rotateRefreshToken = false;
  endpoint.expiresIn = 3600;
  endpoint.refreshTokens.clear();
  endpoint.refreshTokens.add(REFRESH_TOKEN);
});

afterAll(async () => {
  await closeAllTransports();
  await server.close();
  await endpoint.close();
});

const smtp = () => ({ emailService: "custom", host: server.host, port: server.port, security: "starttls", caCertificate: TEST_CA_PEM });
const basicConfig = (password: string) => transportConfig({ ...smtp(), authMethod: "basic", basicConnection: { username: "alice", password } });
const clientCredentialsConfig = (overrides: Record<string, unknown> = {}, clientAuthStyle = "body") =>
  transportConfig({
    ...smtp(),
    authMethod: "oauth2ClientCredentials",
    clientAuthStyle,
    clientCredentialsConnection: { tokenEndpointUrl: endpoint.url, clientId: "cc-app", clientSecret: CC_SECRET, scope: "https://outlook.office365.com/.default", user: "app@example.com", ...overrides },
  });
const refreshConfig = (overrides: Record<string, unknown> = {}) =>
  transportConfig({
    ...smtp(),
    authMethod: "oauth2",
    oauth2Connection: { user: "refresh@example.com", clientId: "refresh-app", clientSecret: REFRESH_SECRET, refreshToken: REFRESH_TOKEN, accessUrl: endpoint.url, ...overrides },
  });

const send = (config: ReturnType<typeof transportConfig>, subject = "auth test") => withDeadline(10_000, (deadline) => sendMail(config, message(subject), deadline));
const xoauth2Attempts = () => server.authAttempts.filter((attempt) => attempt.method === "XOAUTH2").map((attempt) => attempt.success);

/** Nothing secret in the error, wherever it might be looked at. */
function expectNoSecrets(error: Error, ...secrets: string[]): void {
  const everything = JSON.stringify({ ...error, message: error.message });
  for (const secret of secrets) expect(everything).not.toContain(secret);
}

describe("basic authentication", () => {
  test("a wrong password is an authentication error with the server's reply and without the password", async () => {
    const wrong = "Wr0ng-Pa55word!";
    const error = await rejectionOf(send(basicConfig(wrong)));
    expect(error.code).toBe("authentication");
    expect(error.details).toMatchObject({ libraryCode: "EAUTH", responseCode: 535, command: "AUTH PLAIN", field: "basicConnection" });
    expect(error.message).toMatch(/rejected the login for "alice": "535 /);
    expect(error.hint).toMatch(/app password/);
    expectNoSecrets(error, wrong);
    expect(server.messages).toEqual([]);

    const verifyError = await rejectionOf(withDeadline(5_000, (deadline) => verifyConnection(basicConfig(wrong), deadline)));
    expect(verifyError.code).toBe("authentication");
    expectNoSecrets(verifyError, wrong);
  });
});

describe("OAuth2 token renewal", () => {
  test("a revoked access token is recovered by exactly one refresh and one retry", async () => {
    const config = refreshConfig({ accessToken: "at_revoked_by_the_admin", expiryDate: Date.now() + 3_600_000 });
    await send(config, "after revocation");
    expect(endpoint.requests.map((request) => request.grantType)).toEqual(["refresh_token"]);
    expect(xoauth2Attempts()).toEqual([false, true]);
    expect(server.messages).toHaveLength(1);
  });

  test("verifyConnection recovers from a revoked access token the same way", async () => {
    const config = refreshConfig({ accessToken: "at_revoked_by_the_admin" });
    const result = await withDeadline(10_000, (deadline) => verifyConnection(config, deadline));
    expect(result).toMatchObject({ secure: true, authenticated: true });
    expect(endpoint.requests).toHaveLength(1);
    expect(xoauth2Attempts()).toEqual([false, true]);
  });

  test("a cached token revoked later is recovered the same way on a new connection", async () => {
    const config = clientCredentialsConfig();
    await send(config, "first");
    await closeAllTransports(); // keeps the token cache: the next send opens a connection with the cached token
    endpoint.revokeAll();
    await send(config, "second");
    expect(endpoint.requests).toHaveLength(2);
    expect(xoauth2Attempts()).toEqual([true, false, true]);
    expect(server.messages).toHaveLength(2);
  });

  test("a token the server rejects right after it was issued is not retried", async () => {
    server.authFailureReply = { code: 535, message: "5.7.3 Authentication unsuccessful" };
    const error = await rejectionOf(send(clientCredentialsConfig()));
    expect(error.code).toBe("authentication");
    expect(error.details).toMatchObject({ libraryCode: "EAUTH", responseCode: 535, field: "clientCredentialsConnection" });
    expect(error.message).toMatch(/rejected the OAuth2 login for "app@example.com": "535 5\.7\.3 Authentication unsuccessful"/);
    expect(error.hint).toMatch(/SMTP\.SendAsApp/);
    expect(endpoint.requests).toHaveLength(1);
    expect(server.authAttempts).toHaveLength(1);
    expectNoSecrets(error, CC_SECRET, endpoint.issuedTokens.at(-1)!.accessToken);
  });

  test("an expired access token is refreshed before use, and a rotated refresh token is used next time", async () => {
    endpoint.rotateRefreshToken = true;
    endpoint.expiresIn = 2; // renewed at half its lifetime: after one second
    const config = refreshConfig({ accessToken: "at_expired", expiryDate: Date.now() - 1_000 });

    await send(config, "refreshed");
    expect(xoauth2Attempts()).toEqual([true]); // the expired token was never tried
    expect(endpoint.requests.map((request) => request.params.refresh_token)).toEqual([REFRESH_TOKEN]);
    const rotated = endpoint.issuedTokens.at(-1)?.refreshToken;
    expect(rotated).toBeDefined();
    expect(endpoint.refreshTokens.has(REFRESH_TOKEN)).toBe(false);

    await sleep(1_100);
    await send(config, "with rotated refresh token");
    expect(endpoint.requests.map((request) => request.params.refresh_token)).toEqual([REFRESH_TOKEN, rotated]);
    expect(endpoint.requests.map((request) => request.status)).toEqual([200, 200]);
    expect(server.messages).toHaveLength(2);
    // The new token means a new pooled transport: its connection logs in with the new token, the old one closes.
    expect(xoauth2Attempts()).toEqual([true, true]);
    expect(server.messages[0].sessionId).not.toBe(server.messages[1].sessionId);
    // (server.openConnections cannot tell here: the harness never sees a STARTTLS session's socket close.)
    expect(cacheStats().transports).toEqual({ inService: 1, retiring: 0 });
  });

  test("an access token without a refresh token that has expired is a token error, before connecting", async () => {
    const config = refreshConfig({ refreshToken: "", clientId: "", clientSecret: "", accessToken: "at_old", expiryDate: Date.now() - 60_000 });
    const error = await rejectionOf(send(config));
    expect(error.code).toBe("token");
    expect(error.message).toMatch(/accessToken expired at .* no refreshToken/);
    expect(server.connections).toBe(0);
  });
});

describe("token endpoint", () => {
  test("clientAuthStyle body and header reach the endpoint as such", async () => {
    await send(clientCredentialsConfig({}, "body"), "body style");
    await send(clientCredentialsConfig({}, "header"), "header style");
    const [body, header] = endpoint.requests;
    expect(body).toMatchObject({ grantType: "client_credentials", clientAuth: "body", clientId: "cc-app", scope: "https://outlook.office365.com/.default", status: 200 });
    expect(body.params.client_secret).toBe(CC_SECRET);
    expect(header).toMatchObject({ grantType: "client_credentials", clientAuth: "basic", clientId: "cc-app", status: 200 });
    expect(header.params.client_secret).toBeUndefined();
    expect(server.messages).toHaveLength(2);
  });

  test("a wrong client secret surfaces error and error_description, never the secret", async () => {
    const wrongSecret = "wrong-client-Secret-123";
    const error = await rejectionOf(send(clientCredentialsConfig({ clientSecret: wrongSecret })));
    expect(error.code).toBe("token");
    expect(error.details.field).toBe("clientCredentialsConnection");
    expect(error.message).toBe(`The token endpoint ${endpoint.url} refused the request (HTTP 401): invalid_client: Client authentication failed.`);
    expect(error.hint).toMatch(/not its Secret ID/);
    expectNoSecrets(error, wrongSecret, CC_SECRET);
    expect(server.connections).toBe(0);
  });

  test("a provider description echoing the secret is quoted with the secret redacted", async () => {
    endpoint.failNext(tokenErrors.invalidClient(`AADSTS7000215: Invalid client secret provided: ${CC_SECRET}.\r\nTrace ID: 1234`));
    const error = await rejectionOf(send(clientCredentialsConfig()));
    expect(error.message).toMatch(/invalid_client: AADSTS7000215: Invalid client secret provided: \[redacted\]\. Trace ID: 1234$/);
    expectNoSecrets(error, CC_SECRET);
  });

  test("an invalid refresh token is a token error with a re-authorize hint, without the token", async () => {
    const error = await rejectionOf(send(refreshConfig({ refreshToken: "rt_revoked_refresh_token" })));
    expect(error.code).toBe("token");
    expect(error.message).toMatch(/HTTP 400\): invalid_grant: The refresh token is invalid or expired\.$/);
    expect(error.hint).toMatch(/authorize again/);
    expectNoSecrets(error, "rt_revoked_refresh_token", REFRESH_SECRET);
  });

  test("a wrong scope and a temporary outage are reported as the endpoint says", async () => {
    endpoint.failNext(tokenErrors.invalidScope("AADSTS70011: The provided value for scope is not valid."));
    const scopeError = await rejectionOf(send(clientCredentialsConfig()));
    expect(scopeError.message).toMatch(/invalid_scope: AADSTS70011/);
    expect(scopeError.hint).toMatch(/outlook\.office365\.com\/\.default/);

    endpoint.failNext({ status: 503, body: "Service Unavailable" });
    const outage = await rejectionOf(send(clientCredentialsConfig()));
    expect(outage.code).toBe("token");
    expect(outage.message).toMatch(/answered HTTP 503/);
  });

  test("an unreachable endpoint is a token error naming the network failure", async () => {
    const closed = await startTokenEndpoint({ clients: {} });
    const url = closed.url;
    await closed.close();
    const error = await rejectionOf(send(clientCredentialsConfig({ tokenEndpointUrl: url })));
    expect(error.code).toBe("token");
    expect(error.message).toMatch(/could not be reached \(ECONNREFUSED\)/);
  });
});
