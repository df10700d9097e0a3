/**
 * Send SMTP Email with Delivery Microsoft Graph, against the Graph stand-in (test/support/graphStandIn.ts,
 * built from Microsoft's documentation) and a real token endpoint issuing Entra-shaped JWTs.
 */
import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import type { FailureResult, SuccessResult } from "../../src/result/sendResult";
import { closeAllTransports, resetCaches } from "../../src/delivery";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { graphErrors, startGraphStandIn, type GraphStandIn } from "../support/graphStandIn";
import { parseMessage } from "../support/parseMessage";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { TEST_SECRETS } from "../support/testSecrets";
import { startTokenEndpoint, type TokenEndpoint } from "../support/tokenEndpoint";
import { MAILBOX, serverConfig } from "./flowHelpers";

const SHARED = "support@flow.example";
const CLIENT_ID = "graph-app";
const PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

let tokens: TokenEndpoint;
let graph: GraphStandIn;
let smtp: SmtpTestServer;

beforeAll(async () => {
  tokens = await startTokenEndpoint({ clients: { [CLIENT_ID]: TEST_SECRETS.clientSecret }, jwt: { roles: ["Mail.Send"] } });
  graph = await startGraphStandIn({ isValidToken: tokens.isValidToken, mailboxes: { [MAILBOX]: "licensed", [SHARED]: "licensed", "nolicence@flow.example": "unlicensed" } });
  smtp = await startSmtpTestServer({ security: "tls", auth: { tokens: (_user, token) => tokens.isValidToken(token) } });
});
beforeEach(() => {
  tokens.jwt = { roles: ["Mail.Send"] };
  graph.allowedMailboxes = undefined;
  graph.delayMs = 0;
});
afterEach(() => resetCaches());
afterAll(async () => {
  await closeAllTransports();
  await Promise.all([tokens.close(), graph.close(), smtp.close()]);
});

const connection = (extra: Record<string, unknown> = {}) => ({
  tokenEndpointUrl: tokens.url,
  clientId: CLIENT_ID,
  clientSecret: TEST_SECRETS.clientSecret,
  user: MAILBOX,
  ...extra,
});

const viaGraph = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  delivery: "graph",
  graphEndpoint: graph.url,
  authMethod: "oauth2ClientCredentials",
  clientCredentialsConnection: connection(),
  timeoutSeconds: 5,
  to: "jane@example.com",
  subject: "Hello via Graph",
  content: "<p>Hello Jane</p>",
  storeLocation: "input",
  ...extra,
});

async function send(config: Record<string, unknown>) {
  const cognigy = cognigyApiStandIn();
  const result = await runSendSmtpEmail(cognigy.api, config);
  return { result, cognigy };
}

async function sent(config: Record<string, unknown>): Promise<SuccessResult> {
  const { result } = await send(config);
  if (!result.success) throw new Error(`expected success: ${result.error.message}`);
  return result;
}

async function failed(config: Record<string, unknown>): Promise<FailureResult["error"]> {
  const { result, cognigy } = await send(config);
  if (result.success) throw new Error("expected the send to fail");
  expect(cognigy.logs("error")).toHaveLength(1);
  return result.error;
}

const counts = () => ({ graphRequests: graph.requests.length, accepted: graph.accepted.length, tokenRequests: tokens.requestCount });
const delta = (before: ReturnType<typeof counts>) => {
  const now = counts();
  return { graphRequests: now.graphRequests - before.graphRequests, accepted: now.accepted - before.accepted, tokenRequests: now.tokenRequests - before.tokenRequests };
};

describe("Delivery Microsoft Graph", () => {
  it("hands Graph the MIME with Bcc, and no To or Cc recipient sees the Bcc", async () => {
    const before = counts();
    const result = await sent(viaGraph({ cc: "carol@example.com", bcc: "audit@example.com, hidden@example.com" }));
    expect(delta(before)).toEqual({ graphRequests: 1, accepted: 1, tokenRequests: 1 });
    const accepted = graph.accepted.at(-1)!;
    expect(accepted.mailbox).toBe(MAILBOX);
    const handedOver = await parseMessage(accepted.mime);
    expect(handedOver.messageId).toBe(result.messageId);
    expect(handedOver.addresses("bcc")).toEqual(["audit@example.com", "hidden@example.com"]);
    expect(accepted.deliveries.map((copy) => copy.recipient).sort()).toEqual(["audit@example.com", "carol@example.com", "hidden@example.com", "jane@example.com"]);
    for (const copy of accepted.deliveries) {
      const raw = copy.raw.toString("latin1");
      expect(raw).not.toMatch(/^Bcc:/im);
      expect(raw).not.toContain("audit@example.com");
      expect(raw).not.toContain("hidden@example.com");
    }
    expect(result).toMatchObject({
      success: true,
      transport: "graph",
      accepted: ["jane@example.com", "carol@example.com", "audit@example.com", "hidden@example.com"],
      rejected: [],
      response: "202 Accepted",
      envelope: { from: MAILBOX },
      requestId: graph.requests.at(-1)!.requestId,
      clientRequestId: graph.requests.at(-1)!.clientRequestId,
    });
    expect(result.clientRequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("writes the same message as the SMTP delivery: fields, inline image, attachment, threading, custom header, invite", async () => {
    const message = {
      to: '"Doe, Jane" <jane@example.com>',
      subject: "Booking ✈ Zürich",
      content: `<p>Hello <b>Jane</b></p><img src="data:image/png;base64,${PIXEL}">`,
      priority: "high",
      replyTo: "desk@flow.example",
      inReplyTo: "<first@flow.example>",
      customHeaders: { "X-Ticket-Id": "4711" },
      attachmentType: "text",
      attachmentText: "Seat 12A\n",
      attachmentFileName: "seat.txt",
      calendarEvent: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:call-4711@flow.example\r\nDTSTART:20261201T100000Z\r\nSUMMARY:Call\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    };
    await sent(viaGraph(message));
    const viaSmtp = await sent({
      ...serverConfig(smtp),
      authMethod: "oauth2ClientCredentials",
      clientCredentialsConnection: connection(),
      ...message,
      storeLocation: "input",
    });
    expect(viaSmtp.transport).toBe("smtp");
    const [graphMail, smtpMail] = await Promise.all([parseMessage(graph.accepted.at(-1)!.mime), parseMessage(smtp.messages.at(-1)!.raw)]);
    const shape = (mail: typeof graphMail) => ({
      subject: mail.subject,
      from: mail.addresses("from"),
      to: mail.addresses("to"),
      replyTo: mail.addresses("replyTo"),
      // Inline images get a fresh Content-ID per message.
      html: mail.html?.replace(/cid:[^"]+/g, "cid:…"),
      text: mail.text,
      inReplyTo: mail.header("in-reply-to"),
      references: mail.header("references"),
      ticket: mail.header("x-ticket-id"),
      priority: mail.header("x-priority"),
      headerNames: [...new Set(mail.headers.map((header) => header.key))].sort(),
      attachments: mail.attachments.map(({ filename, mimeType, sha256, disposition, related }) => ({ filename, mimeType, sha256, disposition, related })),
    });
    expect(shape(graphMail)).toEqual(shape(smtpMail));
    expect(graphMail.attachments.map((attachment) => attachment.mimeType)).toEqual(expect.arrayContaining(["image/png", "text/plain"]));
    expect(graphMail.attachments.some((attachment) => attachment.mimeType === "text/calendar" || attachment.mimeType === "application/ics")).toBe(true);
  });

  it("sends from the Custom From mailbox (a shared mailbox) when one is set, else as the connection's user", async () => {
    await sent(viaGraph({ from: `Support <${SHARED}>` }));
    expect(graph.accepted.at(-1)!.mailbox).toBe(SHARED);
    expect(graph.requests.at(-1)!.path).toBe(`/v1.0/users/${encodeURIComponent(SHARED)}/sendMail`);
    expect((await parseMessage(graph.accepted.at(-1)!.mime)).addresses("from")).toEqual([SHARED]);
    await sent(viaGraph());
    expect(graph.accepted.at(-1)!.mailbox).toBe(MAILBOX);
  });

  it("asks the token endpoint for the Graph endpoint's .default scope when the connection has none", async () => {
    await sent(viaGraph());
    expect(tokens.requests.at(-1)!.scope).toBe(`${graph.url}/.default`);
  });

  it("shares the token cache with SMTP for the same connection and scope", async () => {
    const sameScope = connection({ scope: `${graph.url}/.default` });
    const before = counts();
    await sent({ ...serverConfig(smtp), authMethod: "oauth2ClientCredentials", clientCredentialsConnection: sameScope, to: "jane@example.com", subject: "SMTP", content: "<p>x</p>" });
    await sent(viaGraph({ clientCredentialsConnection: sameScope }));
    expect(delta(before).tokenRequests).toBe(1);
  });
});

describe("Graph's refusals, each with the fix", () => {
  it("401 for a token of another audience (the SMTP scope): names the Graph scope", async () => {
    const error = await failed(viaGraph({ clientCredentialsConnection: connection({ scope: "https://outlook.office365.com/.default" }) }));
    expect(error).toMatchObject({ code: "authentication", field: "clientCredentialsConnection", httpStatus: 401 });
    expect(error.message).toMatch(/InvalidAuthenticationToken/);
    expect(error.hint).toContain(`${graph.url}/.default`);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("401 for a cached token that was revoked: renews it once and sends once", async () => {
    await sent(viaGraph());
    tokens.revokeAll();
    const before = counts();
    await sent(viaGraph());
    expect(delta(before)).toEqual({ graphRequests: 2, accepted: 1, tokenRequests: 1 });
  });

  it("403 without the Mail.Send application permission", async () => {
    tokens.jwt = { roles: [] };
    const error = await failed(viaGraph());
    expect(error).toMatchObject({ code: "authentication", httpStatus: 403, field: "clientCredentialsConnection" });
    expect(error.hint).toMatch(/Mail\.Send/);
    expect(error.hint).toMatch(/admin consent/);
  });

  it("403 for a mailbox outside the app's access policy names the mailbox and RBAC for Applications", async () => {
    graph.allowedMailboxes = new Set([SHARED]);
    const error = await failed(viaGraph());
    expect(error).toMatchObject({ code: "authentication", httpStatus: 403 });
    expect(error.hint).toContain(MAILBOX);
    expect(error.hint).toMatch(/RBAC for Applications|application access policy/);
  });

  it("404 for an unknown mailbox (Custom From) and for one without Exchange Online", async () => {
    const unknown = await failed(viaGraph({ from: "nobody@flow.example" }));
    expect(unknown).toMatchObject({ code: "address", field: "from", httpStatus: 404 });
    expect(unknown.message).toMatch(/ErrorInvalidUser/);
    const unlicensed = await failed(viaGraph({ from: "nolicence@flow.example" }));
    expect(unlicensed).toMatchObject({ code: "address", httpStatus: 404 });
    expect(unlicensed.hint).toMatch(/licence/);
  });

  it("400 ErrorMimeContent… and 413 are refusals of the message", async () => {
    graph.failNext({ status: 400, body: { error: { code: "ErrorMimeContentInvalidBase64String", message: "Invalid base64 string for MIME content." } } });
    expect(await failed(viaGraph())).toMatchObject({ code: "rejected", httpStatus: 400, message: expect.stringMatching(/ErrorMimeContentInvalidBase64String/) });
    graph.failNext({ status: 413, body: { error: { code: "RequestEntityTooLarge", message: "Request entity too large" } } });
    expect(await failed(viaGraph())).toMatchObject({ code: "rejected", httpStatus: 413, hint: expect.stringMatching(/4 MB/) });
  });

  it("refuses a message over 3 MB before anything is sent", async () => {
    const before = counts();
    const error = await failed(viaGraph({ attachmentType: "base64", attachmentBase64: Buffer.alloc(3.1 * 1024 * 1024, 7).toString("base64"), attachmentFileName: "big.bin" }));
    expect(error).toMatchObject({ code: "attachment" });
    expect(error.message).toMatch(/3 MB/);
    expect(error.hint).toMatch(/SMTP/);
    expect(delta(before).graphRequests).toBe(0);
  });

  it("429 with Retry-After: waits and retries once; a 202 is final", async () => {
    graph.failNext(graphErrors.throttled(1));
    const before = counts();
    const started = Date.now();
    await sent(viaGraph());
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(delta(before)).toEqual({ graphRequests: 2, accepted: 1, tokenRequests: 1 });
  });

  it("429 twice, or a 503 whose wait does not fit the deadline: reported, not retried further", async () => {
    graph.failNext(graphErrors.throttled(1), 2);
    let before = counts();
    expect(await failed(viaGraph())).toMatchObject({ code: "rejected", httpStatus: 429, message: expect.stringMatching(/wait 1 s/) });
    expect(delta(before)).toMatchObject({ graphRequests: 2, accepted: 0 });
    graph.failNext(graphErrors.unavailable(30));
    before = counts();
    expect(await failed(viaGraph())).toMatchObject({ code: "connection", httpStatus: 503 });
    expect(delta(before)).toMatchObject({ graphRequests: 1, accepted: 0 });
  });

  it("follows no redirect and reads no more than a small answer", async () => {
    const elsewhere = await startGraphStandIn({ isValidToken: () => true, mailboxes: { [MAILBOX]: "licensed" } });
    try {
      graph.failNext(graphErrors.redirect(`${elsewhere.url}/v1.0/users/${MAILBOX}/sendMail`));
      expect(await failed(viaGraph())).toMatchObject({ code: "connection", field: "graphEndpoint", httpStatus: 307 });
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
    graph.failNext({ status: 500, body: "x".repeat(1024 * 1024) });
    expect(await failed(viaGraph())).toMatchObject({ code: "connection", message: expect.stringMatching(/far more data/) });
  });

  it("a Graph answer that quotes the bearer token shows no token", async () => {
    await sent(viaGraph());
    const token = tokens.issuedTokens.at(-1)!.accessToken;
    graph.failNext({ status: 400, body: { error: { code: "BadRequest", message: `Bad request with Authorization: Bearer ${token} and ${Buffer.from(token).toString("base64")}` } } });
    const { result, cognigy } = await send(viaGraph());
    expect(result.success).toBe(false);
    expect(cognigy.transcript()).not.toContain(token);
    expect(JSON.stringify(result)).toContain("[redacted]");
  });

  it("a stalled Graph answer ends at the Total Timeout, and Stop on Error halts the flow", async () => {
    graph.delayMs = 3000;
    const started = Date.now();
    const { result, cognigy } = await send(viaGraph({ timeoutSeconds: 1, stopOnError: true }));
    expect(Date.now() - started).toBeLessThan(2500);
    // The request went out whole before the time ran out: Graph may have taken it, so the outcome is unknown.
    expect(result).toMatchObject({ success: false, error: { code: "unknownOutcome", mayHaveBeenDelivered: true } });
    expect(cognigy.stopped).toBe(true);
  });
});

describe("Graph configuration errors name the field", () => {
  it.each([
    ["Basic Auth", { authMethod: "basic", basicConnection: { username: MAILBOX, password: TEST_SECRETS.password } }, "authMethod"],
    ["an http endpoint that is not loopback", { graphEndpoint: "http://graph.example.com" }, "graphEndpoint"],
    ["an endpoint with a path", { graphEndpoint: "https://graph.microsoft.com/v1.0" }, "graphEndpoint"],
  ])("%s", async (_name, extra, field) => {
    const before = counts();
    const error = await failed(viaGraph(extra));
    expect(error).toMatchObject({ code: "configuration", field });
    expect(delta(before)).toEqual({ graphRequests: 0, accepted: 0, tokenRequests: 0 });
  });

  it("ignores the hidden SMTP fields (no host needed)", async () => {
    await sent(viaGraph({ emailService: "custom", host: "" }));
  });
});

describe("asynchronous execution through Graph", () => {
  it("returns at once and logs the sent Message-ID", async () => {
    const cognigy = cognigyApiStandIn();
    const before = counts();
    const result = await runSendSmtpEmail(cognigy.api, viaGraph({ async: true }));
    expect(result).toMatchObject({ success: true, transport: "graph" });
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const poll = () => (cognigy.logs("info").some((line) => line.includes("sent <")) ? resolve() : Date.now() - started > 5000 ? reject(new Error("no log")) : setTimeout(poll, 20));
      poll();
    });
    expect(delta(before).accepted).toBe(1);
  });
});
