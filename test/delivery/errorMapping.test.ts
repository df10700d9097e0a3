/**
 * What the server or the network says, mapped to SmtpEmailError codes a flow can act on, with the
 * SMTP details the retry logic reads (responseCode, command, libraryCode).
 */
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { closeAllTransports, sendMail } from "../../src/delivery";
import { message, rejectionOf, TEST_CA_PEM, transportConfig, withDeadline } from "./helpers/fixtures";

const PASSWORD = "mapping-password";
let server: SmtpTestServer;
let relay: SmtpTestServer;

beforeAll(async () => {
  server = await startSmtpTestServer({
    security: "starttls",
    size: 2_000,
    auth: { users: { alice: PASSWORD } },
    onMailFrom: (address) => (address.startsWith("spoofed@") ? { code: 553, message: "5.7.60 SendAsDenied; not allowed to send as spoofed@example.com" } : undefined),
    onRcptTo: (address) => (address.startsWith("unknown") ? { code: 550, message: "5.1.1 No such user" } : undefined),
    onData: (received) =>
      received.raw.includes("SPAM") ? { code: 554, message: "5.7.1 Message rejected as spam" } : received.raw.includes("GREYLIST") ? { code: 451, message: "4.7.1 Greylisted, try again later" } : undefined,
  });
  relay = await startSmtpTestServer({ security: "none", auth: { users: { alice: PASSWORD } } });
});

afterAll(async () => {
  await closeAllTransports();
  await Promise.all([server.close(), relay.close()]);
});

const config = (target = server, extra: Record<string, unknown> = {}) =>
  transportConfig({ emailService: "custom", host: target.host, port: target.port, security: "starttls", caCertificate: TEST_CA_PEM, authMethod: "basic", basicConnection: { username: "alice", password: PASSWORD }, ...extra });
const send = (mail: Parameters<typeof message>[1], cfg = config()) => withDeadline(5_000, (deadline) => sendMail(cfg, message("mapping", mail), deadline));

test("every recipient refused", async () => {
  const error = await rejectionOf(send({ to: "unknown@example.com" }));
  expect(error).toMatchObject({ code: "rejected", details: { libraryCode: "EENVELOPE", responseCode: 550, command: "RCPT TO", field: "to" } });
  expect(error.message).toMatch(/refused every recipient: "550 5\.1\.1 No such user"/);
});

test("some recipients refused: sent, and the refused ones listed", async () => {
  const sent = await send({ to: ["bob@example.com", "unknown-2@example.com"] });
  expect(sent.accepted).toEqual(["bob@example.com"]);
  expect(sent.rejected).toEqual(["unknown-2@example.com"]);
});

test("sender refused", async () => {
  const error = await rejectionOf(send({ from: "spoofed@example.com" }));
  expect(error).toMatchObject({ code: "rejected", details: { responseCode: 553, command: "MAIL FROM", field: "from" } });
  expect(error.hint).toMatch(/Send As/);
});

test("content refused, permanently and temporarily", async () => {
  const spam = await rejectionOf(send({ text: "SPAM" }));
  expect(spam).toMatchObject({ code: "rejected", details: { libraryCode: "EMESSAGE", responseCode: 554, command: "DATA" } });
  const later = await rejectionOf(send({ text: "GREYLIST" }));
  expect(later).toMatchObject({ code: "rejected", details: { responseCode: 451, command: "DATA" } });
});

test("a message over the server's size limit", async () => {
  const error = await rejectionOf(send({ text: "x".repeat(5_000) }));
  expect(error.code).toBe("rejected");
  expect(error.message).toMatch(/larger than 127\.0\.0\.1:\d+ accepts/);
});

test("no login where the server requires one", async () => {
  const error = await rejectionOf(send({}, config(server, { authMethod: "none" })));
  expect(error).toMatchObject({ code: "authentication", details: { responseCode: 530, field: "authMethod" } });
});

test("a login refused before STARTTLS is a TLS problem, not a password problem", async () => {
  const error = await rejectionOf(send({}, config(server, { security: "none" })));
  expect(error).toMatchObject({ code: "tls", details: { libraryCode: "EAUTH", responseCode: 538, field: "security" } });
  expect(error.message).not.toContain(PASSWORD);
});

test("nothing listening on the port", async () => {
  const closed = await startSmtpTestServer({ security: "none" });
  const port = closed.port;
  await closed.close();
  const error = await rejectionOf(send({}, config(relay, { port, security: "none" })));
  expect(error).toMatchObject({ code: "connection", details: { libraryCode: "ESOCKET", command: "CONN", field: "host" } });
  expect(error.message).toBe(`127.0.0.1:${port} refused the connection.`);
});
