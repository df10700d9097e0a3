/**
 * Three outcomes: sent; failed and certainly not delivered; or unknown, when the message went out whole and
 * no answer came. Each case against a server scripted to fail at that point, with the bodies it saw.
 */
import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import { closeAllTransports, resetCaches } from "../../src/delivery";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { startGraphStandIn, type GraphStandIn } from "../support/graphStandIn";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { TEST_SECRETS } from "../support/testSecrets";
import { startTokenEndpoint, type TokenEndpoint } from "../support/tokenEndpoint";
import { basicAuth, MAILBOX, message, serverConfig } from "./flowHelpers";

let server: SmtpTestServer;
let tokens: TokenEndpoint;
let graph: GraphStandIn;

beforeAll(async () => {
  server = await startSmtpTestServer({ security: "tls", auth: { users: { [MAILBOX]: TEST_SECRETS.password } } });
  tokens = await startTokenEndpoint({ clients: { "graph-app": TEST_SECRETS.clientSecret }, jwt: { roles: ["Mail.Send"] } });
  graph = await startGraphStandIn({ isValidToken: tokens.isValidToken, mailboxes: { [MAILBOX]: "licensed" } });
});
afterEach(async () => {
  server.bodyFailure = undefined;
  server.onData = undefined;
  graph.dropAfterBody = undefined;
  graph.delayMs = 0;
  await resetCaches();
});
afterAll(async () => {
  await closeAllTransports();
  await Promise.all([server.close(), tokens.close(), graph.close()]);
});

const big = `<p>${"Booking details. ".repeat(200_000)}</p>`;

/** `arrange` scripts the server's failure; with `warm`, only after a first send has opened the pool. */
async function sendOnce(extra: Record<string, unknown> = {}, warm = false, arrange: () => void = () => undefined) {
  // warm: a first send opens the pool, so the measured one goes through it (the cold path is the default).
  if (warm) await runSendSmtpEmail(cognigyApiStandIn().api, { ...serverConfig(server), ...basicAuth(), ...message, text: "warm" });
  arrange();
  const cognigy = cognigyApiStandIn();
  const before = server.dataCount;
  const result = await runSendSmtpEmail(cognigy.api, { ...serverConfig(server), ...basicAuth(), ...message, text: "Hello", timeoutSeconds: 2, ...extra });
  return { result, cognigy, bodies: server.dataCount - before };
}

describe.each([
  ["a cold send (its own session)", false],
  ["a warm send (the pool)", true],
])("%s", (_name, warm) => {
  it("a drop after the final dot: unknown, may have been delivered, with its Message-ID", async () => {
    const { result, bodies } = await sendOnce({}, warm, () => (server.bodyFailure = "dropAfterBody"));
    expect(bodies).toBe(1);
    expect(result).toMatchObject({ success: false, messageId: expect.stringMatching(/^<.+@flow\.example>$/), error: { code: "unknownOutcome", mayHaveBeenDelivered: true } });
    if (!result.success) {
      expect(result.error.message).toMatch(/may have been delivered/);
      expect(result.error.hint).toMatch(/Message-ID/);
    }
  });

  it("a stall after the final dot until the deadline: unknown", async () => {
    const { result, bodies } = await sendOnce({}, warm, () => (server.bodyFailure = "stallAfterBody"));
    expect(bodies).toBe(1);
    expect(result).toMatchObject({ success: false, error: { code: "unknownOutcome", mayHaveBeenDelivered: true } });
  });

  it("a drop in the middle of the body: failed, not delivered", async () => {
    const { result, bodies } = await sendOnce({ content: big, text: "Booking" }, warm, () => (server.bodyFailure = "dropMidBody"));
    expect(bodies).toBe(0);
    expect(result).toMatchObject({ success: false, messageId: expect.any(String) });
    if (!result.success) {
      expect(result.error.code).not.toBe("unknownOutcome");
      expect(result.error).not.toHaveProperty("mayHaveBeenDelivered");
    }
  });

  it.each([
    [451, "4.3.0 Try again later"],
    [554, "5.7.1 Message rejected"],
  ])("a %s answer to the final dot: failed with the server's reply, not unknown", async (code, text) => {
    const { result, bodies } = await sendOnce({}, warm, () => (server.onData = () => ({ code, message: text })));
    // A 5xx is final: one body. A 4xx says "later": retried at most twice, as far as Total Timeout allows.
    if (code >= 500) expect(bodies).toBe(1);
    else expect(bodies).toBeGreaterThanOrEqual(1);
    expect(bodies).toBeLessThanOrEqual(3);
    expect(result).toMatchObject({ success: false, messageId: expect.any(String), error: { code: "rejected", responseCode: code } });
    if (!result.success) expect(result.error).not.toHaveProperty("mayHaveBeenDelivered");
  });
});

describe("Message-ID", () => {
  it("a failure before the message exists has none; one after has it", async () => {
    const early = await runSendSmtpEmail(cognigyApiStandIn().api, { ...serverConfig(server), ...basicAuth(), ...message, subject: "" });
    expect(early).not.toHaveProperty("messageId");
  });

  it("a resend keeps the first attempt's Message-ID when the flow gives it", async () => {
    server.bodyFailure = "dropAfterBody";
    const first = await sendOnce();
    server.bodyFailure = undefined;
    if (first.result.success) throw new Error("expected the first attempt to end unknown");
    const second = await sendOnce({ messageId: first.result.messageId });
    expect(second.result).toMatchObject({ success: true, messageId: first.result.messageId });
    expect(server.messages.at(-1)!.raw.toString("latin1")).toContain(`Message-ID: ${first.result.messageId}`);
  });

  it.each([["two ids", "<a@x.example> <b@x.example>"], ["a line break", "<a@x.example>\r\nBcc: all@example.com"], ["no id", "hello"]])("refuses %s", async (_name, value) => {
    const result = await runSendSmtpEmail(cognigyApiStandIn().api, { ...serverConfig(server), ...basicAuth(), ...message, messageId: value });
    expect(result).toMatchObject({ success: false, error: { code: "configuration", field: "messageId" } });
  });

  it("accepts one without angle brackets", async () => {
    const result = await runSendSmtpEmail(cognigyApiStandIn().api, { ...serverConfig(server), ...basicAuth(), ...message, messageId: "resend-4711@flow.example" });
    expect(result).toMatchObject({ success: true, messageId: "<resend-4711@flow.example>" });
  });
});

describe("asynchronous execution", () => {
  it("logs that the mail may have been delivered", async () => {
    server.bodyFailure = "dropAfterBody";
    const cognigy = cognigyApiStandIn();
    await runSendSmtpEmail(cognigy.api, { ...serverConfig(server), ...basicAuth(), ...message, async: true, timeoutSeconds: 2 });
    const started = Date.now();
    while (!cognigy.logs("error").length && Date.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cognigy.logs("error")[0]).toMatch(/unknownOutcome.*may have been delivered/);
  });
});

describe("Microsoft Graph", () => {
  const viaGraph = {
    delivery: "graph",
    graphEndpoint: "",
    authMethod: "oauth2ClientCredentials",
    clientCredentialsConnection: { tokenEndpointUrl: "", clientId: "graph-app", clientSecret: TEST_SECRETS.clientSecret, user: MAILBOX },
    ...message,
    timeoutSeconds: 2,
  };
  const config = () => ({ ...viaGraph, graphEndpoint: graph.url, clientCredentialsConnection: { ...viaGraph.clientCredentialsConnection, tokenEndpointUrl: tokens.url } });

  it("the request went out whole and the connection dropped: unknown", async () => {
    graph.dropAfterBody = "processed";
    const before = graph.accepted.length;
    const result = await runSendSmtpEmail(cognigyApiStandIn().api, config());
    expect(graph.accepted.length).toBe(before + 1);
    expect(result).toMatchObject({ success: false, messageId: expect.any(String), error: { code: "unknownOutcome", mayHaveBeenDelivered: true } });
  });

  it("no answer before the deadline after the whole request: unknown", async () => {
    graph.delayMs = 5000;
    const result = await runSendSmtpEmail(cognigyApiStandIn().api, config());
    expect(result).toMatchObject({ success: false, error: { code: "unknownOutcome" } });
  });
});
