/**
 * The pool of pooled transports is bounded: the least recently used one is closed beyond the limit,
 * and one idle for the idle time closes by itself. Real pools against a real server.
 */
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { createDeadline } from "../../src/deadline/deadline";
import { TransportCache } from "../../src/delivery/smtp/transportCache";
import { planTransport, poolOptions } from "../../src/delivery/smtp/transportPlan";
import { eventually, message, TEST_CA_PEM, transportConfig } from "./helpers/fixtures";

let server: SmtpTestServer;
const users = { a: "pw-a", b: "pw-b", c: "pw-c" };

beforeAll(async () => {
  server = await startSmtpTestServer({ security: "tls", auth: { users } });
});

afterAll(() => server.close());

beforeEach(() => server.clear());

/** Sends one message through `cache` as `user`, the way sendMail leases a transport. */
async function sendThrough(cache: TransportCache, user: keyof typeof users): Promise<void> {
  const config = transportConfig({ emailService: "custom", host: server.host, port: server.port, security: "tls", caCertificate: TEST_CA_PEM, authMethod: "basic", basicConnection: { username: user, password: users[user] } });
  const plan = planTransport(config);
  const deadline = createDeadline(5_000);
  const lease = cache.acquire(plan.slotKey, "basic", () => poolOptions(plan, config, undefined, deadline));
  try {
    await lease.mailer.sendMail(message(`from ${user}`));
  } finally {
    lease.release();
    deadline.dispose();
  }
}

test("beyond the limit the least recently used transport is closed, and its connection with it", async () => {
  const cache = new TransportCache(60_000, 2);
  try {
    await sendThrough(cache, "a");
    await sendThrough(cache, "b");
    await sendThrough(cache, "a"); // a is now the most recently used
    await sendThrough(cache, "c"); // evicts b
    expect(cache.stats()).toEqual({ inService: 2, retiring: 0 });
    await eventually(() => server.openConnections === 2);
    await sendThrough(cache, "a");
    expect(server.authAttempts.map((attempt) => attempt.username)).toEqual(["a", "b", "c"]);
  } finally {
    await cache.closeAll();
  }
});

test("a transport nobody uses for the idle time is closed", async () => {
  const cache = new TransportCache(200);
  try {
    await sendThrough(cache, "a");
    expect(server.openConnections).toBe(1);
    await eventually(() => server.openConnections === 0 && cache.stats().inService === 0, 3_000);
  } finally {
    await cache.closeAll();
  }
});

test("the idle time counts from the last use: a transport used again meanwhile stays open", async () => {
  const cache = new TransportCache(2_000);
  try {
    await sendThrough(cache, "a");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await sendThrough(cache, "a");
    // Past the idle time since the first use, but only about 1 s after the last one: still open, the same connection.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(cache.stats().inService).toBe(1);
    expect(server.openConnections).toBe(1);
    expect(server.authAttempts).toHaveLength(1);
    await eventually(() => server.openConnections === 0 && cache.stats().inService === 0, 5_000);
  } finally {
    await cache.closeAll();
  }
});
