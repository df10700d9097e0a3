/**
 * Connection Security "auto" never sends a credential in clear text: with a login configured, a
 * server (or a man in the middle) that does not offer STARTTLS gets an error, not the password.
 * Only an explicit "none" allows a clear-text login. Token endpoints must be https (loopback excepted).
 */
import net from "node:net";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { startTokenEndpoint, type TokenEndpoint } from "../support/tokenEndpoint";
import { closeAllTransports, resetCaches, sendMail, verifyConnection } from "../../src/delivery";
import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { errorOf } from "../support/smtpEmailErrors";
import { message, rejectionOf, TEST_CA_PEM, transportConfig, withDeadline } from "./helpers/fixtures";

const PASSWORD = "clear-Text-Pa55word";
const CC_SECRET = "cc-secret-never-in-clear";
const REFRESH_SECRET = "refresh-secret-never-in-clear";
const REFRESH_TOKEN = "rt_never_in_clear";

let endpoint: TokenEndpoint;
let plain: SmtpTestServer;
let starttls: SmtpTestServer;
let mitm: StrippingProxy;

beforeAll(async () => {
  endpoint = await startTokenEndpoint({ clients: { "cc-app": CC_SECRET, "refresh-app": REFRESH_SECRET }, refreshTokens: [REFRESH_TOKEN] });
  const auth = { users: { alice: PASSWORD }, tokens: (_user: string, token: string) => endpoint.isValidToken(token), optional: true };
  // A server without STARTTLS that accepts AUTH in clear text: exactly what a careless relay looks like.
  plain = await startSmtpTestServer({ security: "none", auth });
  starttls = await startSmtpTestServer({ security: "starttls", auth });
  mitm = await startStrippingProxy(starttls.port);
});

afterAll(async () => {
  await closeAllTransports();
  await mitm.close();
  await Promise.all([plain.close(), starttls.close(), endpoint.close()]);
});

type Method = "basic" | "oauth2" | "oauth2ClientCredentials";
const METHODS: Method[] = ["basic", "oauth2", "oauth2ClientCredentials"];

function authFields(method: Method): Record<string, unknown> {
  switch (method) {
    case "basic":
      return { authMethod: "basic", basicConnection: { username: "alice", password: PASSWORD } };
    case "oauth2":
      return { authMethod: "oauth2", oauth2Connection: { user: "refresh@example.com", clientId: "refresh-app", clientSecret: REFRESH_SECRET, refreshToken: REFRESH_TOKEN, accessUrl: endpoint.url } };
    case "oauth2ClientCredentials":
      return { authMethod: "oauth2ClientCredentials", clientCredentialsConnection: { tokenEndpointUrl: endpoint.url, clientId: "cc-app", clientSecret: CC_SECRET, user: "app@example.com" } };
  }
}

const configFor = (port: number, security: string, auth: Record<string, unknown>) =>
  transportConfig({ emailService: "custom", host: "127.0.0.1", port, security, caCertificate: TEST_CA_PEM, ...auth });

/** Every form a credential could take on the wire: as is, Base64 of itself and of AUTH PLAIN, and any issued token. */
function secretForms(): string[] {
  const raw = [PASSWORD, CC_SECRET, REFRESH_SECRET, REFRESH_TOKEN, ...endpoint.issuedTokens.map((issued) => issued.accessToken)];
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  return [...raw, ...raw.map(b64), b64(`\u0000alice\u0000${PASSWORD}`), b64(PASSWORD).slice(0, 12)];
}

describe.each(METHODS)("security auto with %s credentials", (method) => {
  test("against a server without STARTTLS: a tls error naming Connection Security, no login, nothing sent", async () => {
    plain.clear();
    const error = await rejectionOf(withDeadline(5_000, (deadline) => sendMail(configFor(plain.port, "auto", authFields(method)), message(`auto ${method}`), deadline)));
    expect(error.code).toBe("tls");
    expect(error.details.field).toBe("security");
    expect(error.message).toMatch(/did not start TLS.*Connection Security Automatic requires it\. Nothing was sent, no login was tried/);
    expect(error.hint).toMatch(/Connection Security to None only for a trusted internal relay/);
    expect(plain.authAttempts).toEqual([]);
    expect(plain.commands.map((command) => command.command)).not.toContain("AUTH");
    expect(plain.commands.map((command) => command.command)).not.toContain("MAIL");
    expect(plain.messages).toHaveLength(0);
  });

  test("through a man in the middle that strips STARTTLS: not a byte of any credential crosses the wire", async () => {
    mitm.clientBytes.length = 0;
    const error = await rejectionOf(withDeadline(5_000, (deadline) => sendMail(configFor(mitm.port, "auto", authFields(method)), message(`mitm ${method}`), deadline)));
    expect(error).toMatchObject({ code: "tls", details: { field: "security" } });
    const wire = Buffer.concat(mitm.clientBytes).toString("latin1");
    expect(wire).toMatch(/^EHLO /);
    expect(wire).toMatch(/STARTTLS\r\n/);
    expect(wire).not.toMatch(/AUTH|MAIL FROM/);
    for (const form of secretForms()) expect(wire).not.toContain(form);
  });

  test("a cold send through the node (a session of its own, set up early) refuses the same way through the man in the middle", async () => {
    await resetCaches();
    mitm.clientBytes.length = 0;
    const result = await runSendSmtpEmail(cognigyApiStandIn().api, {
      emailService: "custom",
      host: "127.0.0.1",
      port: mitm.port,
      security: "auto",
      caCertificate: TEST_CA_PEM,
      ...authFields(method),
      from: "alice@example.com",
      to: "bob@example.com",
      subject: `cold mitm ${method}`,
      content: "<p>Hello</p>",
      timeoutSeconds: 5,
    });
    expect(result).toMatchObject({ success: false, error: { code: "tls", field: "security" } });
    const wire = Buffer.concat(mitm.clientBytes).toString("latin1");
    expect(wire).toMatch(/STARTTLS\r\n/);
    expect(wire).not.toMatch(/AUTH|MAIL FROM/);
    for (const form of secretForms()) expect(wire).not.toContain(form);
  });

  test("verifyConnection refuses the same way", async () => {
    plain.clear();
    const error = await rejectionOf(withDeadline(5_000, (deadline) => verifyConnection(configFor(plain.port, "auto", authFields(method)), deadline)));
    expect(error).toMatchObject({ code: "tls", details: { field: "security" } });
    expect(plain.authAttempts).toEqual([]);
  });

  test("an explicit None still logs in over clear text, as the designer chose", async () => {
    plain.clear();
    await withDeadline(5_000, (deadline) => sendMail(configFor(plain.port, "none", authFields(method)), message(`none ${method}`), deadline));
    expect(plain.authAttempts).toMatchObject([{ success: true, secure: false }]);
    expect(plain.messages).toHaveLength(1);
  });
});

test("security auto with credentials upgrades with STARTTLS where the server offers it", async () => {
  starttls.clear();
  await withDeadline(5_000, (deadline) => sendMail(configFor(starttls.port, "auto", authFields("basic")), message("auto upgrade"), deadline));
  expect(starttls.messages).toMatchObject([{ secure: true, user: "alice" }]);
});

test("security auto without authentication still sends in clear text where STARTTLS is missing (opportunistic)", async () => {
  plain.clear();
  await withDeadline(5_000, (deadline) => sendMail(configFor(plain.port, "auto", { authMethod: "none" }), message("auto anonymous"), deadline));
  expect(plain.messages).toMatchObject([{ secure: false }]);
});

describe("token endpoints must be https", () => {
  test.each([
    ["oauth2ClientCredentials", "clientCredentialsConnection", "tokenEndpointUrl"],
    ["oauth2", "oauth2Connection", "accessUrl"],
  ] as const)("%s: a plain http URL to another host is a configuration error naming %s.%s", (authMethod, connectionKey, urlField) => {
    const connection =
      authMethod === "oauth2"
        ? { user: "u@example.com", clientId: "a", clientSecret: "b", refreshToken: "c", accessUrl: "http://login.example.com/token" }
        : { tokenEndpointUrl: "http://login.example.com/token", clientId: "a", clientSecret: "b", user: "u@example.com" };
    const error = errorOf(() => transportConfig({ host: "smtp.example.com", authMethod, [connectionKey]: connection }));
    expect(error.code).toBe("configuration");
    expect(error.details.field).toBe(`${connectionKey}.${urlField}`);
    expect(error.message).toMatch(new RegExp(`${urlField} must use https`));
  });

  test.each(["http://127.0.0.1:8080/token", "http://127.8.9.10/token", "http://[::1]:8080/token", "http://localhost:8080/token", "https://login.example.com/token"])(
    "%s is accepted",
    (url) => {
      expect(() => transportConfig({ host: "smtp.example.com", authMethod: "oauth2ClientCredentials", clientCredentialsConnection: { tokenEndpointUrl: url, clientId: "a", clientSecret: "b", user: "u@example.com" } })).not.toThrow();
    },
  );

  test.each(["http://127.0.0.1.example.com/token", "http://[::ffff:127.0.0.1]/token", "http://0.0.0.0/token", "http://localhost.example.com/token"])("%s is refused", (url) => {
    const error = errorOf(() =>
      transportConfig({ host: "smtp.example.com", authMethod: "oauth2ClientCredentials", clientCredentialsConnection: { tokenEndpointUrl: url, clientId: "a", clientSecret: "b", user: "u@example.com" } }),
    );
    expect(error).toMatchObject({ code: "configuration", details: { field: "clientCredentialsConnection.tokenEndpointUrl" } });
  });
});

// --- a man in the middle -------------------------------------------------------------------------

interface StrippingProxy {
  port: number;
  /** Everything the client sent, as it crossed the wire. */
  clientBytes: Buffer[];
  close(): Promise<void>;
}

/**
 * Relays to a real STARTTLS server, but hides STARTTLS in the EHLO reply and answers a STARTTLS
 * command itself with a refusal, the classic downgrade attack. Records the client's bytes.
 */
async function startStrippingProxy(upstreamPort: number): Promise<StrippingProxy> {
  const clientBytes: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    upstream.on("data", (chunk: Buffer) => client.write(chunk.toString("latin1").replace(/^(250[ -])STARTTLS/gm, "$1XXXXXXXA"), "latin1"));
    let pending = "";
    client.on("data", (chunk: Buffer) => {
      clientBytes.push(chunk);
      pending += chunk.toString("latin1");
      let end: number;
      while ((end = pending.indexOf("\r\n")) >= 0) {
        const line = pending.slice(0, end + 2);
        pending = pending.slice(end + 2);
        if (/^STARTTLS\r\n$/i.test(line)) client.write("454 4.7.0 TLS not available due to local problem\r\n");
        else upstream.write(line, "latin1");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    clientBytes,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
