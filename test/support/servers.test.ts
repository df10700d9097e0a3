/**
 * Self-test of the real-server harness: plain nodemailer against startSmtpTestServer and
 * startTokenEndpoint, no product code involved.
 */
import nodemailer from "nodemailer";
import { parseMessage, sha256 } from "./parseMessage";
import {
  failFirst,
  startSmtpTestServer,
  type SmtpAuthMethod,
  type SmtpSecurity,
  type SmtpTestServer,
} from "./smtpTestServer";
import { testCa } from "./tlsFixtures";
import { basicAuthHeader, startTokenEndpoint, tokenErrors, type TokenEndpoint } from "./tokenEndpoint";

type SmtpOptions = Parameters<typeof nodemailer.createTransport>[0];

/** The fields nodemailer puts on its errors, read without trusting their presence. */
interface NodemailerErrorShape {
  message: string;
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  originalCode?: string;
}

async function sendError(run: () => Promise<unknown>): Promise<NodemailerErrorShape> {
  try {
    await run();
  } catch (err) {
    return err as NodemailerErrorShape;
  }
  throw new Error("expected the send to fail");
}

/** Client options that match a server's security mode, trusting the test CA. */
function clientFor(server: SmtpTestServer, extra: Record<string, unknown> = {}): SmtpOptions {
  return {
    host: server.host,
    port: server.port,
    secure: server.security === "tls",
    requireTLS: server.security === "starttls",
    tls: { ca: testCa },
    connectionTimeout: 3000,
    greetingTimeout: 3000,
    socketTimeout: 5000,
    ...extra,
  } as SmtpOptions;
}

interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  refresh_token?: string;
  error?: string;
  error_description?: string;
}

async function postToken(
  endpoint: TokenEndpoint,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: TokenResponse }> {
  const res = await fetch(endpoint.url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: (await res.json()) as TokenResponse };
}

const USERS = { "alice@example.com": "correct horse", "bob@example.com": "p@ss:w0rd é" };
const CLIENT_ID = "smtp-app";
const CLIENT_SECRET = "s3cret+/=:%&é";

describe("SMTP test server with raw nodemailer", () => {
  let endpoint: TokenEndpoint;
  const servers: SmtpTestServer[] = [];

  beforeAll(async () => {
    endpoint = await startTokenEndpoint({ clients: { [CLIENT_ID]: CLIENT_SECRET } });
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await endpoint.close();
  });

  async function start(...args: Parameters<typeof startSmtpTestServer>): Promise<SmtpTestServer> {
    const server = await startSmtpTestServer(...args);
    servers.push(server);
    return server;
  }

  const securities: SmtpSecurity[] = ["tls", "starttls", "none"];
  const methods: SmtpAuthMethod[] = ["PLAIN", "LOGIN", "XOAUTH2"];
  const cases = securities.flatMap((security) => methods.map((method) => [security, method] as const));

  it.each(cases)("delivers over %s with AUTH %s and the message parses back", async (security, method) => {
    const server = await start({
      security,
      auth: { users: USERS, tokens: (_user, token) => endpoint.isValidToken(token) },
    });
    let auth: Record<string, unknown>;
    if (method === "XOAUTH2") {
      const { status, body } = await postToken(endpoint, {
        grant_type: "client_credentials",
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      });
      expect(status).toBe(200);
      auth = { type: "OAuth2", user: "alice@example.com", accessToken: body.access_token };
    } else {
      auth = { user: "bob@example.com", pass: USERS["bob@example.com"] };
    }
    const transport = nodemailer.createTransport(clientFor(server, { auth, authMethod: method }));
    const attachment = Buffer.from([0, 1, 2, 250, 251, 252, 13, 10, 46, 13, 10]);
    const info = await transport.sendMail({
      from: "Sender <sender@example.com>",
      to: "Rcpt <rcpt@example.org>",
      cc: "cc@example.org",
      bcc: "hidden@example.org",
      subject: `Grüße via ${security}/${method}`,
      text: "Line one\r\n.leading dot\r\nLine three ✓",
      html: "<p>Hello <b>world</b></p>",
      attachments: [{ filename: "bytes.bin", content: attachment }],
    });
    transport.close();
    expect(info.accepted).toEqual(["rcpt@example.org", "cc@example.org", "hidden@example.org"]);

    const [message] = await server.waitForMessages(1, 2000);
    expect(message.envelope.mailFrom).toBe("sender@example.com");
    expect(message.envelope.rcptTo).toEqual(["rcpt@example.org", "cc@example.org", "hidden@example.org"]);
    expect(message.user).toBe(method === "XOAUTH2" ? "alice@example.com" : "bob@example.com");
    expect(message.secure).toBe(security !== "none");
    expect(server.authAttempts).toEqual([
      { method, username: message.user, success: true, secure: security !== "none" },
    ]);
    expect(server.commands.some((c) => c.command === "STARTTLS")).toBe(security === "starttls");

    const parsed = await parseMessage(message.raw);
    expect(parsed.subject).toBe(`Grüße via ${security}/${method}`);
    expect(parsed.text?.replace(/\r\n/g, "\n").trim()).toBe("Line one\n.leading dot\nLine three ✓");
    expect(parsed.html).toContain("<b>world</b>");
    expect(parsed.addresses("from")).toEqual(["sender@example.com"]);
    expect(parsed.addresses("to")).toEqual(["rcpt@example.org"]);
    expect(parsed.addresses("cc")).toEqual(["cc@example.org"]);
    expect(parsed.header("bcc")).toBeUndefined();
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0].filename).toBe("bytes.bin");
    expect(parsed.attachments[0].sha256).toBe(sha256(attachment));
    expect(parsed.header("message-id")).toBe(info.messageId);
  });

  it("rejects a wrong password with 535 and stores nothing", async () => {
    const server = await start({ security: "starttls", auth: { users: USERS } });
    const transport = nodemailer.createTransport(
      clientFor(server, { auth: { user: "alice@example.com", pass: "wrong" }, authMethod: "PLAIN" }),
    );
    const err = await sendError(() => transport.sendMail({ from: "a@example.com", to: "b@example.com", text: "x" }));
    transport.close();
    expect(err).toMatchObject({
      code: "EAUTH",
      responseCode: 535,
      command: "AUTH PLAIN",
      response: "535 Error: Authentication credentials invalid",
    });
    expect(server.authAttempts).toEqual([
      { method: "PLAIN", username: "alice@example.com", success: false, secure: true },
    ]);
    expect(server.messages).toHaveLength(0);
  });

  it("fails XOAUTH2 with an unknown token the standard way (334 JSON challenge, then 535)", async () => {
    const server = await start({ security: "tls", auth: { tokens: (_user, token) => endpoint.isValidToken(token) } });
    const transport = nodemailer.createTransport(
      clientFor(server, { auth: { type: "OAuth2", user: "alice@example.com", accessToken: "not-issued" } }),
    );
    const err = await sendError(() => transport.sendMail({ from: "a@example.com", to: "b@example.com", text: "x" }));
    transport.close();
    expect(err).toMatchObject({ code: "EAUTH", responseCode: 535, command: "AUTH XOAUTH2" });
    const challenge = server.replies.find((r) => r.line.startsWith("334 "));
    expect(JSON.parse(Buffer.from(challenge?.line.slice(4) ?? "", "base64").toString())).toEqual({
      status: "401",
      schemes: "bearer",
      scope: "https://mail.google.com/",
    });
    // nodemailer retries AUTH XOAUTH2 once (renewing the token if it can) before giving up.
    expect(server.authAttempts.map((a) => a.success)).toEqual([false, false]);
  });

  it("sends an authFailureReply verbatim, for every mechanism", async () => {
    const reply = { code: 535, message: "5.7.139 Authentication unsuccessful, basic authentication is disabled." };
    const server = await start({ security: "starttls", auth: { users: USERS }, authFailureReply: reply });
    const transport = nodemailer.createTransport(
      clientFor(server, { auth: { user: "alice@example.com", pass: USERS["alice@example.com"] }, authMethod: "LOGIN" }),
    );
    const err = await sendError(() => transport.sendMail({ from: "a@example.com", to: "b@example.com", text: "x" }));
    transport.close();
    expect(err).toMatchObject({ code: "EAUTH", responseCode: 535, command: "AUTH LOGIN" });
    expect(err.response).toBe(`535 ${reply.message}`);
  });

  it("refuses AUTH before STARTTLS on a starttls server", async () => {
    const server = await start({ security: "starttls", auth: { users: USERS } });
    const transport = nodemailer.createTransport(
      clientFor(server, {
        requireTLS: false,
        ignoreTLS: true,
        auth: { user: "alice@example.com", pass: USERS["alice@example.com"] },
      }),
    );
    const err = await sendError(() => transport.sendMail({ from: "a@example.com", to: "b@example.com", text: "x" }));
    transport.close();
    expect(err).toMatchObject({ code: "EAUTH", responseCode: 538 });
  });

  it("times out against a server that never greets", async () => {
    const server = await start({ neverGreet: true });
    const transport = nodemailer.createTransport(clientFor(server, { secure: false, requireTLS: false, greetingTimeout: 250 }));
    const started = Date.now();
    const err = await sendError(() => transport.sendMail({ from: "a@example.com", to: "b@example.com", text: "x" }));
    transport.close();
    expect(err).toMatchObject({ code: "ETIMEDOUT", command: "CONN", message: "Greeting never received" });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.connections).toBe(1);
  });

  it("presents a certificate the test CA does not trust when asked to", async () => {
    const server = await start({ security: "tls", cert: "untrusted" });
    const transport = nodemailer.createTransport(clientFor(server));
    const err = await sendError(() => transport.sendMail({ from: "a@example.com", to: "b@example.com", text: "x" }));
    transport.close();
    expect(err).toMatchObject({ code: "ESOCKET", originalCode: "DEPTH_ZERO_SELF_SIGNED_CERT" });
  });

  it("runs the envelope and data hooks, and enforces SIZE", async () => {
    const server = await start({
      security: "none",
      size: 4096,
      onRcptTo: (address) =>
        address.startsWith("nobody@") ? { code: 550, message: "5.1.1 <nobody@example.com>: User unknown" } : undefined,
      onData: failFirst(2, { code: 451, message: "4.3.0 Try again later" }),
    });
    const transport = nodemailer.createTransport(clientFor(server));
    const mail = { from: "a@example.com", to: ["nobody@example.com", "b@example.com"], text: "x" };

    for (let i = 0; i < 2; i++) {
      const err = await sendError(() => transport.sendMail(mail));
      expect(err).toMatchObject({ code: "EMESSAGE", responseCode: 451, command: "DATA" });
    }
    const info = await transport.sendMail(mail);
    expect(info.accepted).toEqual(["b@example.com"]);
    expect(info.rejected).toEqual(["nobody@example.com"]);
    expect(server.dataCount).toBe(3);
    expect(server.messages.map((m) => m.envelope.rcptTo)).toEqual([["b@example.com"]]);

    const big = await sendError(() => transport.sendMail({ ...mail, to: "b@example.com", text: "y".repeat(10_000) }));
    expect(big).toMatchObject({ code: "EMESSAGE", responseCode: 552, command: "DATA" });
    transport.close();
  });

  it("advertises SMTPUTF8 only when asked to", async () => {
    const mail = { from: "a@example.com", to: "jösé@exämple.com", subject: "ü", text: "ü" };
    const utf8 = await start({ security: "none" });
    const ascii = await start({ security: "none", smtputf8: false });
    const t1 = nodemailer.createTransport(clientFor(utf8));
    const t2 = nodemailer.createTransport(clientFor(ascii));
    await t1.sendMail(mail);
    const err = await sendError(() => t2.sendMail(mail));
    t1.close();
    t2.close();
    expect(utf8.messages[0].envelope).toMatchObject({ smtpUtf8: true, rcptTo: ["jösé@exämple.com"] });
    expect(err).toMatchObject({ code: "EENVELOPE", responseCode: 553, command: "RCPT TO" });
  });

  it("takes 200 concurrent messages from a pool", async () => {
    const server = await start({ security: "starttls", auth: { users: USERS } });
    const transport = nodemailer.createTransport(
      clientFor(server, {
        pool: true,
        maxConnections: 5,
        auth: { user: "alice@example.com", pass: USERS["alice@example.com"] },
      }),
    );
    const count = 200;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        transport.sendMail({ from: "a@example.com", to: `r${i}@example.com`, subject: `msg ${i}`, text: `body ${i}` }),
      ),
    );
    transport.close();
    const messages = await server.waitForMessages(count, 5000);
    const recipients = new Set(messages.map((m) => m.envelope.rcptTo[0]));
    expect(recipients.size).toBe(count);
    expect(server.connections).toBeLessThanOrEqual(5);
  });

  it("closes promptly even while a client keeps its pooled connection open", async () => {
    const server = await startSmtpTestServer({ security: "tls" });
    const transport = nodemailer.createTransport(clientFor(server, { pool: true, maxConnections: 1 }));
    await transport.sendMail({ from: "a@example.com", to: "b@example.com", text: "x" });
    expect(server.openConnections).toBe(1);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.openConnections).toBe(0);
    transport.close();
  });
});

describe("OAuth2 token endpoint", () => {
  let endpoint: TokenEndpoint;

  beforeEach(async () => {
    endpoint = await startTokenEndpoint({
      clients: { [CLIENT_ID]: CLIENT_SECRET },
      refreshTokens: ["refresh-1"],
      expiresIn: 1800,
    });
  });

  afterEach(async () => {
    await endpoint.close();
  });

  it("serves client_credentials with Basic and with body client authentication", async () => {
    expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/token$/);
    const basic = await postToken(
      endpoint,
      { grant_type: "client_credentials", scope: "https://outlook.office365.com/.default" },
      { Authorization: basicAuthHeader(CLIENT_ID, CLIENT_SECRET) },
    );
    const body = await postToken(endpoint, {
      grant_type: "client_credentials",
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(basic.status).toBe(200);
    expect(body.status).toBe(200);
    expect(basic.body).toMatchObject({ token_type: "Bearer", expires_in: 1800, scope: "https://outlook.office365.com/.default" });
    expect(basic.body.access_token).not.toBe(body.body.access_token);
    expect(endpoint.isValidToken(basic.body.access_token)).toBe(true);
    expect(endpoint.isValidToken(body.body.access_token)).toBe(true);
    expect(endpoint.isValidToken("made-up")).toBe(false);
    expect(endpoint.requestCount).toBe(2);
    expect(endpoint.requests.map((r) => [r.grantType, r.clientAuth, r.clientId, r.status])).toEqual([
      ["client_credentials", "basic", CLIENT_ID, 200],
      ["client_credentials", "body", CLIENT_ID, 200],
    ]);

    endpoint.revokeAll();
    expect(endpoint.isValidToken(basic.body.access_token)).toBe(false);
  });

  it("requires RFC 6749 form-encoding inside Basic credentials", async () => {
    const unencoded = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`;
    const res = await postToken(endpoint, { grant_type: "client_credentials" }, { Authorization: unencoded });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe("invalid_client");
    expect(endpoint.requests[0].basicCredentials).toBe(`${CLIENT_ID}:${CLIENT_SECRET}`);

    endpoint.basicEncoding = "lenient";
    const lenient = await postToken(endpoint, { grant_type: "client_credentials" }, { Authorization: unencoded });
    expect(lenient.status).toBe(200);
  });

  it("answers bad clients, refresh tokens and scopes with the standard errors", async () => {
    const badSecret = await postToken(endpoint, { grant_type: "client_credentials", client_id: CLIENT_ID, client_secret: "nope" });
    expect([badSecret.status, badSecret.body.error]).toEqual([401, "invalid_client"]);

    const creds = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET };
    const badRefresh = await postToken(endpoint, { grant_type: "refresh_token", refresh_token: "nope", ...creds });
    expect([badRefresh.status, badRefresh.body.error]).toEqual([400, "invalid_grant"]);

    endpoint.requiredScope = "https://mail.google.com/";
    const wrongScope = await postToken(endpoint, { grant_type: "client_credentials", scope: "other", ...creds });
    expect([wrongScope.status, wrongScope.body.error]).toEqual([400, "invalid_scope"]);

    const unsupported = await postToken(endpoint, { grant_type: "password", ...creds });
    expect([unsupported.status, unsupported.body.error]).toEqual([400, "unsupported_grant_type"]);
  });

  it("refreshes, rotating the refresh token when configured", async () => {
    const creds = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET };
    const plain = await postToken(endpoint, { grant_type: "refresh_token", refresh_token: "refresh-1", ...creds });
    expect(plain.status).toBe(200);
    expect(plain.body.refresh_token).toBeUndefined();

    endpoint.rotateRefreshToken = true;
    const rotated = await postToken(endpoint, { grant_type: "refresh_token", refresh_token: "refresh-1", ...creds });
    expect(rotated.status).toBe(200);
    const next = rotated.body.refresh_token ?? "";
    expect(next).not.toBe("");
    const reused = await postToken(endpoint, { grant_type: "refresh_token", refresh_token: "refresh-1", ...creds });
    expect(reused.body.error).toBe("invalid_grant");
    const again = await postToken(endpoint, { grant_type: "refresh_token", refresh_token: next, ...creds });
    expect(again.status).toBe(200);
  });

  it("supports failWith, failNext, delayMs and already-expired tokens", async () => {
    const creds = { grant_type: "client_credentials", client_id: CLIENT_ID, client_secret: CLIENT_SECRET };
    endpoint.failWith = {
      status: 401,
      body: { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided. Trace ID: 1" },
    };
    const failed = await postToken(endpoint, creds);
    expect(failed.status).toBe(401);
    expect(failed.body.error_description).toMatch(/^AADSTS7000215/);
    endpoint.failWith = undefined;

    endpoint.failNext(tokenErrors.serverError(503));
    expect((await postToken(endpoint, creds)).status).toBe(503);
    expect((await postToken(endpoint, creds)).status).toBe(200);

    endpoint.delayMs = 150;
    endpoint.expiresIn = 0;
    const started = Date.now();
    const slow = await postToken(endpoint, creds);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(slow.body.expires_in).toBe(0);
    expect(endpoint.isValidToken(slow.body.access_token)).toBe(false);
  });

  it("lets nodemailer's own XOAUTH2 refresh flow obtain a token for the SMTP server", async () => {
    const server = await startSmtpTestServer({
      security: "tls",
      auth: { tokens: (_user, token) => endpoint.isValidToken(token) },
    });
    try {
      const transport = nodemailer.createTransport(
        clientFor(server, {
          auth: {
            type: "OAuth2",
            user: "alice@example.com",
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            refreshToken: "refresh-1",
            accessUrl: endpoint.url,
          },
        }),
      );
      await transport.sendMail({ from: "a@example.com", to: "b@example.com", text: "x" });
      transport.close();
      expect(endpoint.requests.map((r) => [r.grantType, r.clientAuth, r.status])).toEqual([["refresh_token", "body", 200]]);
      expect(server.messages[0].user).toBe("alice@example.com");
    } finally {
      await server.close();
    }
  });
});
