/**
 * Every connection security mode against every authentication method, on real servers: the message
 * arrives, over TLS exactly when it should, authenticated as the right user.
 */
import { parseMessage } from "../support/parseMessage";
import { startSmtpTestServer, type SmtpSecurity, type SmtpTestServer } from "../support/smtpTestServer";
import { startTokenEndpoint, type TokenEndpoint } from "../support/tokenEndpoint";
import { closeAllTransports, sendMail, verifyConnection } from "../../src/delivery";
import { message, TEST_CA_PEM, transportConfig, withDeadline } from "./helpers/fixtures";

const PASSWORD = "basic-Pa55word";
const CC_SECRET = "cc-client-secret-value";
const REFRESH_SECRET = "refresh-client-secret";
const REFRESH_TOKEN = "rt_matrix_refresh_token";

const SECURITIES: SmtpSecurity[] = ["tls", "starttls", "none"];
type AuthCase = "basic" | "oauth2" | "oauth2ClientCredentials" | "none";
const AUTH_CASES: AuthCase[] = ["basic", "oauth2", "oauth2ClientCredentials", "none"];

let endpoint: TokenEndpoint;
const servers = new Map<SmtpSecurity, SmtpTestServer>();

beforeAll(async () => {
  endpoint = await startTokenEndpoint({ clients: { "cc-app": CC_SECRET, "refresh-app": REFRESH_SECRET }, refreshTokens: [REFRESH_TOKEN] });
  for (const security of SECURITIES) {
    // Optional AUTH, so the same server also takes the unauthenticated sends.
    servers.set(security, await startSmtpTestServer({ security, auth: { users: { alice: PASSWORD }, tokens: (_user, token) => endpoint.isValidToken(token), optional: true } }));
  }
});

afterAll(async () => {
  await closeAllTransports();
  await Promise.all([...servers.values()].map((server) => server.close()));
  await endpoint.close();
});

/** Raw node fields for an authentication method, and the user the server should see. */
function authFields(auth: AuthCase): { fields: Record<string, unknown>; user?: string; method?: string } {
  switch (auth) {
    case "basic":
      return { fields: { authMethod: "basic", basicConnection: { username: "alice", password: PASSWORD } }, user: "alice", method: "PLAIN" };
    case "oauth2":
      return {
        fields: { authMethod: "oauth2", oauth2Connection: { user: "refresh@example.com", clientId: "refresh-app", clientSecret: REFRESH_SECRET, refreshToken: REFRESH_TOKEN, accessUrl: endpoint.url } },
        user: "refresh@example.com",
        method: "XOAUTH2",
      };
    case "oauth2ClientCredentials":
      return {
        fields: {
          authMethod: "oauth2ClientCredentials",
          clientCredentialsConnection: { tokenEndpointUrl: endpoint.url, clientId: "cc-app", clientSecret: CC_SECRET, scope: "https://outlook.office365.com/.default", user: "app@example.com" },
        },
        user: "app@example.com",
        method: "XOAUTH2",
      };
    case "none":
      return { fields: { authMethod: "none" } };
  }
}

function configFor(server: SmtpTestServer, security: string, auth: AuthCase) {
  return transportConfig({ emailService: "custom", host: server.host, port: server.port, security, caCertificate: TEST_CA_PEM, ...authFields(auth).fields });
}

const matrix = SECURITIES.flatMap((security) => AUTH_CASES.map((auth) => [security, auth] as const));

test.each(matrix)("security %s with %s authentication delivers the message", async (security, auth) => {
  const server = servers.get(security)!;
  const subject = `matrix ${security} ${auth}`;
  const expected = authFields(auth);
  const attemptsBefore = server.authAttempts.length;

  const sent = await withDeadline(10_000, (deadline) => sendMail(configFor(server, security, auth), message(subject), deadline));

  const received = server.messages.find((candidate) => candidate.raw.includes(subject));
  expect(received).toBeDefined();
  const parsed = await parseMessage(received!.raw);
  expect(parsed.subject).toBe(subject);
  expect(parsed.messageId).toBe(sent.messageId);
  expect(received!.secure).toBe(security !== "none");
  expect(received!.user).toBe(expected.user);
  expect(received!.envelope).toMatchObject({ mailFrom: "alice@example.com", rcptTo: ["bob@example.com"] });
  expect(sent).toEqual({
    transport: "smtp",
    messageId: expect.stringMatching(/^<.+>$/),
    accepted: ["bob@example.com"],
    rejected: [],
    response: expect.stringMatching(/^250 /),
    envelope: { from: "alice@example.com", to: ["bob@example.com"] },
  });
  const attempts = server.authAttempts.slice(attemptsBefore);
  if (expected.method) {
    expect(attempts).toEqual([{ method: expected.method, username: expected.user, success: true, secure: security !== "none" }]);
  } else {
    expect(attempts).toEqual([]);
  }
});

test("the OAuth2 tokens came from the endpoint: one request per credential, each with its grant", () => {
  expect(endpoint.requests.map((request) => [request.grantType, request.clientId, request.status]).sort()).toEqual([
    ["client_credentials", "cc-app", 200],
    ["refresh_token", "refresh-app", 200],
  ]);
});

test.each(SECURITIES)("verifyConnection on a %s server reports encryption and login, and sends nothing", async (security) => {
  const server = servers.get(security)!;
  const before = { messages: server.messages.length, mailCommands: server.commands.filter((c) => c.command === "MAIL").length };
  for (const auth of AUTH_CASES) {
    const result = await withDeadline(10_000, (deadline) => verifyConnection(configFor(server, security, auth), deadline));
    expect(result).toEqual({ transport: "smtp", secure: security !== "none", authenticated: auth !== "none", server: `127.0.0.1:${server.port}` });
  }
  expect(server.messages.length).toBe(before.messages);
  expect(server.commands.filter((c) => c.command === "MAIL").length).toBe(before.mailCommands);
});

test("automatic security upgrades with STARTTLS where offered and, without a login, stays plain where not", async () => {
  for (const [security, auth, secure] of [["starttls", "basic", true], ["none", "none", false]] as const) {
    const server = servers.get(security)!;
    const subject = `auto against ${security}`;
    await withDeadline(10_000, (deadline) => sendMail(configFor(server, "auto", auth), message(subject), deadline));
    expect(server.messages.find((candidate) => candidate.raw.includes(subject))?.secure).toBe(secure);
  }
});

test("the EHLO name is the configured client name", async () => {
  const server = servers.get("starttls")!;
  const config = transportConfig({ emailService: "custom", host: server.host, port: server.port, security: "starttls", caCertificate: TEST_CA_PEM, authMethod: "none", clientName: "bot.example.com" });
  await withDeadline(10_000, (deadline) => sendMail(config, message("ehlo name"), deadline));
  expect(server.commands.some((c) => c.command === "EHLO" && c.line.includes("bot.example.com"))).toBe(true);
});

test("an OAuth2 connection's tlsOption applies under automatic security, and the node's explicit security wins over it", async () => {
  const server = servers.get("tls")!;
  const withTlsOption = (security: string, tlsOption: string) =>
    transportConfig({
      emailService: "custom",
      host: server.host,
      port: server.port,
      security,
      caCertificate: TEST_CA_PEM,
      authMethod: "oauth2",
      oauth2Connection: { user: "refresh@example.com", clientId: "refresh-app", clientSecret: REFRESH_SECRET, refreshToken: REFRESH_TOKEN, accessUrl: endpoint.url, tlsOption },
    });
  // Port is not 465, so "auto" alone would start in plain text; the connection's tlsOption "tls" makes it implicit TLS.
  await withDeadline(5_000, (deadline) => sendMail(withTlsOption("auto", "tls"), message("tlsOption applies"), deadline));
  expect(server.messages.some((received) => received.raw.includes("tlsOption applies"))).toBe(true);
  // An explicit STARTTLS on the node wins: against this implicit-TLS port it cannot work.
  const refused = withDeadline(1_000, (deadline) => sendMail(withTlsOption("starttls", "tls"), message("node wins"), deadline));
  await expect(refused).rejects.toMatchObject({ code: "timeout", hint: expect.stringMatching(/set Connection Security to TLS|Total Timeout/) });
});
