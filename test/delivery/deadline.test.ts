/**
 * The node's Total Timeout covers everything: a server that never greets or a token endpoint that
 * never answers ends the send within the budget, as a "timeout" error, without lingering sockets.
 */
import { startSmtpTestServer, type ReceivedMessage, type SmtpTestServer } from "../support/smtpTestServer";
import { startTokenEndpoint, type TokenEndpoint } from "../support/tokenEndpoint";
import { closeAllTransports, sendMail, verifyConnection } from "../../src/delivery";
import { eventually, message, rejectionOf, sleep, transportConfig, withDeadline } from "./helpers/fixtures";

/** The smallest Total Timeout the node accepts. */
const TIMEOUT_MS = 1_000;
/** Timers and socket teardown on a busy CI machine. */
const MARGIN_MS = 500;

let silent: SmtpTestServer;
let slowEndpoint: TokenEndpoint;

beforeAll(async () => {
  silent = await startSmtpTestServer({ neverGreet: true });
  slowEndpoint = await startTokenEndpoint({ clients: { app: "secret" }, delayMs: 5_000 });
});

afterAll(async () => {
  await closeAllTransports();
  await silent.close();
  await slowEndpoint.close();
});

const silentConfig = () => transportConfig({ emailService: "custom", host: silent.host, port: silent.port, security: "starttls", authMethod: "none", timeoutSeconds: 1 });

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; elapsedMs: number }> {
  const started = Date.now();
  const result = await run();
  return { result, elapsedMs: Date.now() - started };
}

test("a server that never greets fails the send as a timeout within the budget, and the socket is closed", async () => {
  const config = silentConfig();
  const { result: error, elapsedMs } = await timed(() => rejectionOf(withDeadline(config.options.timeoutMs, (deadline) => sendMail(config, message("never"), deadline))));
  expect(error.code).toBe("timeout");
  expect(error.message).toMatch(/did not finish within 1 s \(while (waiting for the greeting of|sending via) 127\.0\.0\.1:\d+\)/);
  expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
  expect(elapsedMs).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
  expect(silent.connections).toBe(1);
  await eventually(() => silent.openConnections === 0, 2_000);
});

test("verifyConnection against a server that never greets times out the same way", async () => {
  const config = silentConfig();
  const { result: error, elapsedMs } = await timed(() => rejectionOf(withDeadline(config.options.timeoutMs, (deadline) => verifyConnection(config, deadline))));
  expect(error.code).toBe("timeout");
  expect(elapsedMs).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
  await eventually(() => silent.openConnections === 0, 2_000);
});

test("a token endpoint that does not answer in time is a timeout, and no SMTP connection is made", async () => {
  const smtp = await startSmtpTestServer({ security: "none" });
  try {
    const config = transportConfig({
      emailService: "custom",
      host: smtp.host,
      port: smtp.port,
      security: "none",
      authMethod: "oauth2ClientCredentials",
      clientCredentialsConnection: { tokenEndpointUrl: slowEndpoint.url, clientId: "app", clientSecret: "secret", user: "app@example.com" },
      timeoutSeconds: 1,
    });
    const { result: error, elapsedMs } = await timed(() => rejectionOf(withDeadline(config.options.timeoutMs, (deadline) => sendMail(config, message("slow token"), deadline))));
    expect(error.code).toBe("timeout");
    expect(error.message).toMatch(/while getting an access token from http:\/\/127\.0\.0\.1:\d+\/token/);
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    expect(smtp.connections).toBe(0);
  } finally {
    await smtp.close();
  }
});

const subjectOf = (received: ReceivedMessage) => /^Subject: (.*)$/m.exec(received.raw.toString("utf8"))?.[1]?.trim() ?? "";

test("a message still queued in a busy pool when its budget runs out is dropped, never sent later", async () => {
  // Three sends hold the pool's three connections: the server keeps their DATA unanswered until each is released.
  const gates = new Map<string, () => void>();
  const gate = (subject: string) => new Promise<void>((resolve) => gates.set(subject, resolve));
  const releaseAll = () => gates.forEach((open) => open());
  const held = ["hold 1", "hold 2", "hold 3"];
  const waits = new Map(held.map((subject) => [subject, gate(subject)]));
  const smtp = await startSmtpTestServer({ security: "none", onData: async (received) => void (await waits.get(subjectOf(received))) });
  try {
    const base = { emailService: "custom", host: smtp.host, port: smtp.port, security: "none", authMethod: "none" };
    const holding = held.map((subject) => withDeadline(10_000, (deadline) => sendMail(transportConfig({ ...base, timeoutSeconds: 10 }), message(subject), deadline)));
    await eventually(() => smtp.openConnections === 3);
    const queued = transportConfig({ ...base, timeoutSeconds: 1 });
    const error = await rejectionOf(withDeadline(queued.options.timeoutMs, (deadline) => sendMail(queued, message("queued"), deadline)));
    expect(error.code).toBe("timeout");
    // One connection frees up while the others still send: a message left in the queue would go out on it now.
    gates.get("hold 1")!();
    await holding[0];
    await sleep(300);
    expect(smtp.messages.map(subjectOf)).toEqual(["hold 1"]);
    releaseAll();
    await Promise.all(holding);
    expect(smtp.messages.map(subjectOf).sort()).toEqual(held);
  } finally {
    releaseAll();
    await closeAllTransports();
    await smtp.close();
  }
});
