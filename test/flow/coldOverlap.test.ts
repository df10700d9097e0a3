/**
 * The first send to a server in a process overlaps what waits on the network (TCP, greeting, EHLO,
 * STARTTLS, the token request) with preparing the message, and sends nothing before the message is
 * complete. Proven by order, not by timing: one side is held until the other has visibly got ahead.
 */
import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import { closeAllTransports, resetCaches } from "../../src/delivery";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { TEST_SECRETS } from "../support/testSecrets";
import { startTokenEndpoint, type TokenEndpoint } from "../support/tokenEndpoint";
import { trustLoopback } from "../support/trustLoopback";
import { startHttpFileServer, type HttpFileServer } from "../message/helpers/httpFileServer";
import { basicAuth, MAILBOX, serverConfig } from "./flowHelpers";

let server: SmtpTestServer;
let tokens: TokenEndpoint;
let files: HttpFileServer;

beforeAll(async () => {
  tokens = await startTokenEndpoint({ clients: { "app-id": TEST_SECRETS.clientSecret } });
  server = await startSmtpTestServer({ security: "starttls", auth: { users: { [MAILBOX]: TEST_SECRETS.password }, tokens: (_user, token) => tokens.isValidToken(token) } });
  files = await startHttpFileServer();
});
// Every test is the first send of a fresh process.
beforeEach(() => resetCaches());
afterAll(async () => {
  await closeAllTransports();
  await Promise.all([server.close(), tokens.close(), files.close()]);
});

/** Waits until `condition` holds; fails the test if it never does. No timing is asserted. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 10_000) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const mail = { to: "jane@example.com", subject: "Overlap", content: "<h1>Booking</h1><p>Hello <b>Jane</b>, your seat is 12A.</p>" };
const oauth2 = () => ({
  authMethod: "oauth2ClientCredentials",
  clientCredentialsConnection: { tokenEndpointUrl: tokens.url, clientId: "app-id", clientSecret: TEST_SECRETS.clientSecret, user: MAILBOX },
});
const commands = (name: string) => server.commands.filter((command) => command.command === name).length;

describe("a cold send prepares the connection while the message is built", () => {
  it("with the token endpoint holding its answer, the server already sees the connection and STARTTLS", async () => {
    const release = tokens.hold();
    const before = { starttls: commands("STARTTLS"), auth: server.authAttempts.length, messages: server.messages.length };
    const cognigy = cognigyApiStandIn();
    const sending = runSendSmtpEmail(cognigy.api, { ...serverConfig(server, "starttls"), ...oauth2(), ...mail });
    try {
      await until(() => tokens.requestCount > 0 && commands("STARTTLS") > before.starttls, "STARTTLS while the token is held");
      // Encrypted and greeted again, waiting for the token: no AUTH yet, nothing sent.
      await until(() => commands("EHLO") >= 2 * (before.starttls + 1), "EHLO over TLS while the token is held");
      expect(server.authAttempts.length).toBe(before.auth);
      expect(server.messages.length).toBe(before.messages);
    } finally {
      release();
    }
    expect(await sending).toMatchObject({ success: true });
    expect(server.messages.length).toBe(before.messages + 1);
  });

  it("the connection opens before the message is built, and the message does not wait for the greeting", async () => {
    const before = { connections: server.connections, mail: commands("MAIL") };
    // The attachment answers only once the server has the TCP connection; the server greets only once the attachment is in.
    const connected = until(() => server.connections > before.connections, "the TCP connection before the attachment answers");
    files.serve("/seat.txt", { body: Buffer.from("Seat 12A\n"), contentType: "text/plain", gate: connected });
    const release = server.holdGreeting();
    const sending = runSendSmtpEmail(cognigyApiStandIn().api, { ...serverConfig(server, "starttls"), ...basicAuth(), ...mail, attachmentType: "url", attachmentUrl: files.url("/seat.txt") }, trustLoopback);
    try {
      await connected;
      await until(() => (files.bytesSent.get("/seat.txt") ?? 0) > 0, "the attachment downloaded while the greeting is held");
      expect(commands("MAIL")).toBe(before.mail);
    } finally {
      release();
    }
    expect(await sending).toMatchObject({ success: true });
    expect(server.messages.at(-1)!.raw.toString("latin1")).toContain("seat.txt");
  });

  it("a config error opens no connection and asks for no token", async () => {
    const before = { connections: server.connections, tokens: tokens.requestCount };
    const result = await runSendSmtpEmail(cognigyApiStandIn().api, { ...serverConfig(server, "starttls"), ...oauth2(), ...mail, subject: "" });
    expect(result).toMatchObject({ success: false, error: { code: "configuration", field: "subject" } });
    expect(server.connections).toBe(before.connections);
    expect(tokens.requestCount).toBe(before.tokens);
  });

  it("an attachment that fails after the login sends nothing and says QUIT", async () => {
    let open!: () => void;
    files.serve("/missing.pdf", { body: Buffer.from("gone"), status: 404, gate: new Promise<void>((resolve) => (open = resolve)) });
    const before = { auth: server.authAttempts.length, mail: commands("MAIL"), quit: commands("QUIT"), data: server.dataCount };
    const sending = runSendSmtpEmail(cognigyApiStandIn().api, { ...serverConfig(server, "starttls"), ...basicAuth(), ...mail, attachmentType: "url", attachmentUrl: files.url("/missing.pdf") }, trustLoopback);
    await until(() => server.authAttempts.length > before.auth, "the login before the attachment answers");
    open();
    expect(await sending).toMatchObject({ success: false, error: { code: "attachment" } });
    await until(() => commands("QUIT") > before.quit, "QUIT");
    expect(commands("MAIL")).toBe(before.mail);
    expect(server.dataCount).toBe(before.data);
  });

  it("the first send's own socket finds a server by host name: localhost, which may resolve to ::1 first, reaches the server on 127.0.0.1", async () => {
    // Node looks the name up and tries each address in turn (RFC 8305), as nodemailer's resolver does for the pool.
    const before = server.messages.length;
    const result = await runSendSmtpEmail(cognigyApiStandIn().api, { ...serverConfig(server, "starttls"), host: "localhost", ...basicAuth(), ...mail });
    expect(result).toMatchObject({ success: true });
    expect(server.messages.length).toBe(before + 1);
  });

  it("later sends to the same server use the pool", async () => {
    const before = server.connections;
    for (let i = 0; i < 3; i++) expect(await runSendSmtpEmail(cognigyApiStandIn().api, { ...serverConfig(server, "starttls"), ...basicAuth(), ...mail, text: "Hello" })).toMatchObject({ success: true });
    // One session of its own for the first send, one pooled connection for the two after it.
    expect(server.connections - before).toBe(2);
  });
});
