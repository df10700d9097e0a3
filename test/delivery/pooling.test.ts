/**
 * Pooled transports: reused across sends, replaced when the credential changes, shared by concurrent
 * sends that wait for a single token request.
 */
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { startTokenEndpoint, type TokenEndpoint } from "../support/tokenEndpoint";
import { cacheStats, closeAllTransports, resetCaches, sendMail } from "../../src/delivery";
import { eventually, message, TEST_CA_PEM, transportConfig, withDeadline } from "./helpers/fixtures";

const CC_SECRET = "pool-client-secret";
const users: Record<string, string> = { alice: "first-password" };
let server: SmtpTestServer;
let endpoint: TokenEndpoint;

beforeAll(async () => {
  endpoint = await startTokenEndpoint({ clients: { "cc-app": CC_SECRET } });
  // Implicit TLS: the harness sees these sockets close (it cannot after a STARTTLS upgrade).
  server = await startSmtpTestServer({ security: "tls", auth: { users, tokens: (_user, token) => endpoint.isValidToken(token) } });
});

beforeEach(async () => {
  await resetCaches();
  await eventually(() => server.openConnections === 0);
  server.clear();
  endpoint.requests.length = 0;
});

afterAll(async () => {
  await closeAllTransports();
  await server.close();
  await endpoint.close();
});

const smtp = () => ({ emailService: "custom", host: server.host, port: server.port, security: "tls", caCertificate: TEST_CA_PEM });
const basicConfig = (password: string) => transportConfig({ ...smtp(), authMethod: "basic", basicConnection: { username: "alice", password } });

test("ten sequential sends share one pooled connection and one login", async () => {
  const config = basicConfig(users.alice);
  for (let i = 0; i < 10; i++) {
    await withDeadline(5_000, (deadline) => sendMail(config, message(`sequential ${i}`), deadline));
  }
  expect(server.messages).toHaveLength(10);
  expect(server.connections).toBe(1);
  expect(new Set(server.messages.map((received) => received.sessionId)).size).toBe(1);
  expect(server.authAttempts).toHaveLength(1);
  expect(cacheStats().transports).toEqual({ inService: 1, retiring: 0 });
});

test("two connections with the same login but different passwords each keep their own pool: 40 interleaved sends, 2 logins", async () => {
  // The server takes one password at a time; each pool logs in once, while its password is the current one.
  users.alice = "first-password";
  await withDeadline(5_000, (deadline) => sendMail(basicConfig("first-password"), message("first 0"), deadline));
  users.alice = "second-password";
  await withDeadline(5_000, (deadline) => sendMail(basicConfig("second-password"), message("second 0"), deadline));
  for (let i = 1; i < 20; i++) {
    await withDeadline(5_000, (deadline) => sendMail(basicConfig("first-password"), message(`first ${i}`), deadline));
    await withDeadline(5_000, (deadline) => sendMail(basicConfig("second-password"), message(`second ${i}`), deadline));
  }
  users.alice = "first-password";

  expect(server.messages).toHaveLength(40);
  expect(server.commands.filter((command) => command.command === "AUTH")).toHaveLength(2);
  expect(server.authAttempts.map((attempt) => attempt.success)).toEqual([true, true]);
  expect(server.connections).toBe(2);
  const sessionOf = (prefix: string) => new Set(server.messages.filter((received) => received.raw.includes(`Subject: ${prefix} `)).map((received) => received.sessionId));
  expect(sessionOf("first").size).toBe(1);
  expect(sessionOf("second").size).toBe(1);
  expect(cacheStats().transports).toEqual({ inService: 2, retiring: 0 });
});

test("100 concurrent sends with a cold token cache make exactly one token request and all arrive", async () => {
  const config = transportConfig({
    ...smtp(),
    authMethod: "oauth2ClientCredentials",
    clientCredentialsConnection: { tokenEndpointUrl: endpoint.url, clientId: "cc-app", clientSecret: CC_SECRET, user: "app@example.com" },
  });
  endpoint.delayMs = 50; // keep the request in flight while all sends ask for a token
  const results = await Promise.all(
    Array.from({ length: 100 }, (_, i) => withDeadline(15_000, (deadline) => sendMail(config, message(`concurrent ${i}`, { to: `r${i}@example.com` }), deadline))),
  );
  endpoint.delayMs = 0;

  expect(endpoint.requestCount).toBe(1);
  expect(results.map((sent) => sent.accepted[0]).sort()).toEqual(Array.from({ length: 100 }, (_, i) => `r${i}@example.com`).sort());
  expect(server.messages).toHaveLength(100);
  expect(new Set(server.messages.map((received) => received.envelope.rcptTo[0])).size).toBe(100);
  // The pool keeps at most three connections to one server.
  expect(server.connections).toBeLessThanOrEqual(3);
  expect(cacheStats()).toEqual({ tokens: 1, transports: { inService: 1, retiring: 0 } });
});
