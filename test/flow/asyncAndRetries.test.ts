import { createServer, type Server, type Socket } from "node:net";
import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import { closeAllTransports, resetCaches } from "../../src/delivery";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { failFirst, startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { TEST_SECRETS } from "../support/testSecrets";
import { basicAuth, MAILBOX, message, serverConfig } from "./flowHelpers";

let server: SmtpTestServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  server = await startSmtpTestServer({ security: "tls", auth: { users: { [MAILBOX]: TEST_SECRETS.password } } });
});
afterEach(async () => {
  server.onData = undefined;
  await resetCaches();
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await closeAllTransports();
  await server.close();
});

const config = (extra: Record<string, unknown> = {}) => ({ ...serverConfig(server), ...basicAuth(), ...message, ...extra });

async function until(condition: () => boolean, timeoutMs = 10000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("asynchronous execution", () => {
  it("returns at once and sends in the background", async () => {
    const cognigy = cognigyApiStandIn();
    const before = server.messages.length;
    await runSendSmtpEmail(cognigy.api, config({ async: true, storeLocation: "input", inputKey: "r" }));
    expect(server.messages.length).toBe(before);
    await until(() => cognigy.logs("info").some((line) => line.includes("sent <")));
    expect(server.messages.length).toBe(before + 1);
  });

  it("logs a failure without an unhandled rejection and without halting the flow", async () => {
    const cognigy = cognigyApiStandIn();
    await runSendSmtpEmail(cognigy.api, config({ ...basicAuth(TEST_SECRETS.wrongPassword), async: true, stopOnError: true }));
    await until(() => cognigy.logs("error").length > 0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(cognigy.logs("error")[0]).toMatch(/failed \(authentication\)/);
    expect(cognigy.stopped).toBe(false);
    expect(unhandled).toEqual([]);
  });

  it("survives a logger that fails on the outcome: no unhandled rejection", async () => {
    const cognigy = cognigyApiStandIn();
    const before = server.messages.length;
    let outcomeLogged = false;
    const log = cognigy.api.log;
    const api = {
      ...cognigy.api,
      log: (level: string, text: string) => {
        if (/ sent | failed /.test(text)) {
          outcomeLogged = true;
          throw new Error("the session that would show this log line has ended");
        }
        log?.(level as "info", text);
      },
    };
    await runSendSmtpEmail(api, config({ async: true }));
    await until(() => outcomeLogged);
    // Let a rejection of the background chain surface, if there is one.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.messages.length).toBe(before + 1);
    expect(unhandled).toEqual([]);
  });
});

describe("retries", () => {
  it("retries a 451 and delivers the message once", async () => {
    server.onData = failFirst(1, { code: 451, message: "4.3.0 Temporary failure, try again" });
    const cognigy = cognigyApiStandIn();
    const before = server.messages.length;
    const result = await runSendSmtpEmail(cognigy.api, config());
    expect(result.success).toBe(true);
    expect(server.messages.length).toBe(before + 1);
    expect(cognigy.logs("warn")).toEqual([expect.stringMatching(/retry 1 of 2/)]);
  });

  it("sends a retry with the same Message-ID, so a receiver can tell it is the same mail; the next send has a new one", async () => {
    const seen: string[] = [];
    const retryOnce = failFirst(1, { code: 451, message: "4.3.0 Temporary failure, try again" });
    server.onData = (received) => {
      seen.push(/^Message-ID: (.*)\r$/m.exec(received.raw.toString("utf8"))?.[1] ?? "none");
      return retryOnce();
    };
    const first = await runSendSmtpEmail(cognigyApiStandIn().api, config());
    const second = await runSendSmtpEmail(cognigyApiStandIn().api, config());
    expect(seen).toHaveLength(3);
    expect(seen[0]).toMatch(/^<[^<>]+@flow\.example>$/);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).not.toBe(seen[0]);
    expect([first, second]).toMatchObject([{ success: true, messageId: seen[0] }, { success: true, messageId: seen[2] }]);
  });

  it("gives up after two retries", async () => {
    server.onData = failFirst(5, { code: 451, message: "4.3.0 Temporary failure, try again" });
    const cognigy = cognigyApiStandIn();
    const dataBefore = server.dataCount;
    const result = await runSendSmtpEmail(cognigy.api, config());
    expect(result).toMatchObject({ success: false, error: { responseCode: 451 } });
    expect(server.dataCount - dataBefore).toBe(3);
  });

  it("does not retry a permanent rejection", async () => {
    server.onData = failFirst(5, { code: 554, message: "5.7.1 Message rejected as spam" });
    const dataBefore = server.dataCount;
    const result = await runSendSmtpEmail(cognigyApiStandIn().api, config());
    expect(result).toMatchObject({ success: false, error: { code: "rejected", responseCode: 554 } });
    expect(server.dataCount - dataBefore).toBe(1);
  });
});

describe("a connection lost after the message data went out", () => {
  let dropper: Server;
  let messagesReceived = 0;
  const sockets = new Set<Socket>();

  // A minimal SMTP peer that takes the whole message and then hangs up without a reply: the message
  // may have been accepted, so sending it again could deliver it twice.
  beforeAll(async () => {
    dropper = createServer((socket) => {
      sockets.add(socket);
      let inData = false;
      let buffer = "";
      socket.write("220 dropper ESMTP\r\n");
      socket.on("data", (chunk) => {
        buffer += chunk.toString("latin1");
        if (inData) {
          if (buffer.includes("\r\n.\r\n")) {
            messagesReceived++;
            socket.destroy();
          }
          return;
        }
        let newline: number;
        while ((newline = buffer.indexOf("\r\n")) >= 0) {
          const line = buffer.slice(0, newline).toUpperCase();
          buffer = buffer.slice(newline + 2);
          if (line.startsWith("EHLO")) socket.write("250-dropper\r\n250 8BITMIME\r\n");
          else if (line.startsWith("DATA")) {
            inData = true;
            socket.write("354 go ahead\r\n");
            return;
          } else if (line.startsWith("QUIT")) socket.end("221 bye\r\n");
          else socket.write("250 OK\r\n");
        }
      });
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => dropper.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => dropper.close(resolve));
  });

  it("is reported as an unknown outcome, not retried", async () => {
    const port = (dropper.address() as { port: number }).port;
    const result = await runSendSmtpEmail(cognigyApiStandIn().api, {
      ...message,
      emailService: "custom",
      host: "127.0.0.1",
      port,
      security: "none",
      authMethod: "none",
      from: MAILBOX,
      timeoutSeconds: 5,
    });
    // The server had the whole message: not a failed send but an unknown outcome, never sent twice.
    expect(result).toMatchObject({ success: false, error: { code: "unknownOutcome", mayHaveBeenDelivered: true } });
    expect(messagesReceived).toBe(1);
  });
});
