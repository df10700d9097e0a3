/**
 * Self-test of the Graph stand-in with plain node:http requests and the real token endpoint, no
 * product code involved.
 */
import http from "node:http";
import { graphErrors, SEND_MAIL_MAX_BODY_BYTES, startGraphStandIn, type GraphStandIn } from "./graphStandIn";
import { runtimeSecrets } from "./testSecrets";
import { decodeJwtPayload, startTokenEndpoint, type TokenEndpoint } from "./tokenEndpoint";

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

interface GraphErrorBody {
  error: { code: string; message: string; innerError: Record<string, string> };
}

/** One request on its own connection (agent: false), so no pooled socket outlives the test. */
function request(
  graph: GraphStandIn,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${graph.url}${options.path ?? sendMailPath(SENDER)}`,
      { method: options.method ?? "POST", headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

function sendMailPath(mailbox: string): string {
  return `/v1.0/users/${encodeURIComponent(mailbox)}/sendMail`;
}

/** Base64 wrapped at 76 characters, as in the sendMail page's Example 4. */
function base64Lines(mime: string | Buffer): string {
  return (Buffer.from(mime).toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");
}

function errorOf(reply: Reply): GraphErrorBody["error"] {
  return (JSON.parse(reply.text) as GraphErrorBody).error;
}

async function fetchToken(tokens: TokenEndpoint, scope: string): Promise<string> {
  const res = await fetch(tokens.url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: CLIENT_ID, client_secret: CLIENT_SECRET, scope }).toString(),
  });
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

const CLIENT_ID = "graph-app";
const CLIENT_SECRET = "gr4ph-s3cret";
const SENDER = "Sender@Contoso.com";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const MIME = [
  "From: Sender <sender@contoso.com>",
  "To: Alex <alex@contoso.com>, Team: dana@contoso.com, lee@contoso.com;",
  "Cc: carol@fabrikam.com",
  "Bcc: hidden@fabrikam.com,",
  " \tsecret@fabrikam.com",
  "Subject: Lunch?",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Bcc: this body line is not a header",
  "",
].join("\r\n");

describe("Graph sendMail stand-in", () => {
  let tokens: TokenEndpoint;
  let graph: GraphStandIn;
  let token: string;

  beforeEach(async () => {
    tokens = await startTokenEndpoint({ clients: { [CLIENT_ID]: CLIENT_SECRET }, jwt: { roles: ["Mail.Send"] } });
    graph = await startGraphStandIn({
      isValidToken: tokens.isValidToken,
      mailboxes: { "sender@contoso.com": "licensed", "old@contoso.com": "unlicensed", "other@contoso.com": "licensed" },
    });
    token = await fetchToken(tokens, `${graph.url}/.default`);
  });

  afterEach(async () => {
    await graph.close();
    await tokens.close();
  });

  function send(body: string | Buffer = base64Lines(MIME), headers: Record<string, string> = {}, path?: string): Promise<Reply> {
    return request(graph, {
      ...(path !== undefined ? { path } : {}),
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/plain", ...headers },
      body,
    });
  }

  it("issues Entra-shaped JWTs: aud is the scope's resource, roles only when granted", async () => {
    const claims = decodeJwtPayload(token);
    const [header] = token.split(".");
    expect(JSON.parse(Buffer.from(header, "base64url").toString("utf8"))).toEqual({ typ: "JWT", alg: "RS256" });
    expect(claims).toEqual({
      aud: graph.url,
      iss: `https://sts.windows.net/${tokens.tenantId}/`,
      iat: expect.any(Number),
      nbf: expect.any(Number),
      exp: expect.any(Number),
      appid: CLIENT_ID,
      roles: ["Mail.Send"],
      tid: tokens.tenantId,
    });
    expect(Number(claims?.exp) - Number(claims?.iat)).toBe(3600);
    expect(tokens.isValidToken(token)).toBe(true);
    expect(runtimeSecrets.has(token)).toBe(true);

    tokens.jwt = { roles: [] };
    expect(decodeJwtPayload(await fetchToken(tokens, "https://graph.microsoft.com/.default"))).not.toHaveProperty("roles");
    expect(decodeJwtPayload(await fetchToken(tokens, "https://graph.microsoft.com/.default"))?.aud).toBe("https://graph.microsoft.com");
    tokens.jwt = undefined;
    expect(decodeJwtPayload(await fetchToken(tokens, "x/.default"))).toBeUndefined();
  });

  it("accepts a MIME send with 202, no body, and delivers one Bcc-less copy per recipient", async () => {
    const reply = await send(base64Lines(MIME), { "client-request-id": "c0ffee00-0000-4000-8000-000000000001" });

    expect(reply.status).toBe(202);
    expect(reply.text).toBe("");
    expect(reply.headers["content-length"]).toBe("0");
    expect(reply.headers["request-id"]).toMatch(UUID);
    expect(reply.headers["client-request-id"]).toBe("c0ffee00-0000-4000-8000-000000000001");
    expect(reply.headers.date).toEqual(expect.any(String));

    expect(graph.accepted).toHaveLength(1);
    const [accepted] = graph.accepted;
    expect(accepted.mailbox).toBe(SENDER);
    expect(accepted.mime.toString("utf8")).toBe(MIME);
    expect(accepted.deliveries.map((d) => d.recipient)).toEqual([
      "alex@contoso.com",
      "dana@contoso.com",
      "lee@contoso.com",
      "carol@fabrikam.com",
      "hidden@fabrikam.com",
      "secret@fabrikam.com",
    ]);
    for (const { raw } of accepted.deliveries) {
      const copy = raw.toString("utf8");
      expect(copy.slice(0, copy.indexOf("\r\n\r\n"))).not.toMatch(/^bcc:/im);
      expect(copy).not.toContain("secret@fabrikam.com");
      expect(copy).toContain("\r\n\r\nBcc: this body line is not a header\r\n");
      expect(copy).toBe(MIME.replace("Bcc: hidden@fabrikam.com,\r\n \tsecret@fabrikam.com\r\n", ""));
    }
    const parsed = await graph.parsed(0);
    expect(parsed.subject).toBe("Lunch?");
    expect(parsed.addresses("bcc")).toEqual(["hidden@fabrikam.com", "secret@fabrikam.com"]);

    expect(graph.requests).toEqual([
      {
        method: "POST",
        path: "/v1.0/users/Sender%40Contoso.com/sendMail",
        mailbox: SENDER,
        contentType: "text/plain",
        clientRequestId: "c0ffee00-0000-4000-8000-000000000001",
        requestId: reply.headers["request-id"],
        status: 202,
        bodyBytes: Buffer.byteLength(base64Lines(MIME)),
        authorizationScheme: "Bearer",
        dropped: false,
        at: expect.any(Number),
      },
    ]);
  });

  it("repeats request-id as client-request-id when the client sent none", async () => {
    const reply = await send();
    expect(reply.headers["client-request-id"]).toBe(reply.headers["request-id"]);
  });

  it("answers every error with a Graph error object and the correlation headers", async () => {
    const reply = await send(base64Lines(MIME), { "client-request-id": "abc" }, "/v1.0/users/sender@contoso.com/messages");
    expect(reply.status).toBe(404);
    expect(reply.headers["content-type"]).toBe("application/json");
    expect(reply.headers["request-id"]).toMatch(UUID);
    expect(reply.headers["client-request-id"]).toBe("abc");
    expect(errorOf(reply)).toEqual({
      code: "itemNotFound",
      message: "The resource could not be found.",
      innerError: { date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/), "request-id": reply.headers["request-id"], "client-request-id": "abc" },
    });
    expect(graph.requests[0]).toMatchObject({ status: 404, errorCode: "itemNotFound" });

    const get = await request(graph, { method: "GET", headers: { Authorization: `Bearer ${token}` } });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe("POST");
  });

  it("refuses missing, unknown, expired and wrong-audience tokens with 401 and a Bearer challenge", async () => {
    const none = await request(graph, { headers: { "Content-Type": "text/plain" }, body: base64Lines(MIME) });
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toBe('Bearer realm=""');
    expect(errorOf(none)).toMatchObject({ code: "InvalidAuthenticationToken", message: "Access token is empty." });

    const basic = await send(undefined, { Authorization: "Basic YTpi" });
    expect(errorOf(basic).message).toBe("Access token is empty.");
    expect(graph.requests[1].authorizationScheme).toBe("Basic");

    const unknown = await send(undefined, { Authorization: "Bearer not-issued-here" });
    expect(unknown.status).toBe(401);
    expect(unknown.headers["www-authenticate"]).toBe('Bearer realm="", error="invalid_token"');
    expect(errorOf(unknown).message).toBe("Access token validation failure.");

    tokens.expiresIn = 0;
    const expired = await send(undefined, { Authorization: `Bearer ${await fetchToken(tokens, `${graph.url}/.default`)}` });
    expect(expired.status).toBe(401);
    expect(errorOf(expired).message).toBe("Lifetime validation failed, the token is expired.");
    tokens.expiresIn = 3600;

    tokens.revoke(token);
    expect((await send()).status).toBe(401);

    const foreign = await fetchToken(tokens, "https://graph.microsoft.com/.default");
    const wrongAudience = await send(undefined, { Authorization: `Bearer ${foreign}` });
    expect(wrongAudience.status).toBe(401);
    expect(errorOf(wrongAudience)).toMatchObject({ code: "InvalidAuthenticationToken", message: "Access token validation failure. Invalid audience." });

    graph.audience = "https://graph.microsoft.com";
    expect((await send(undefined, { Authorization: `Bearer ${foreign}` })).status).toBe(202);
    expect(graph.accepted).toHaveLength(1);
  });

  it("refuses a token without Mail.Send and mailboxes outside the access policy with 403 ErrorAccessDenied", async () => {
    tokens.jwt = { roles: ["Mail.Read"] };
    const readOnly = await send(undefined, { Authorization: `Bearer ${await fetchToken(tokens, `${graph.url}/.default`)}` });
    expect(readOnly.status).toBe(403);
    expect(errorOf(readOnly)).toMatchObject({ code: "ErrorAccessDenied", message: "Access is denied. Check credentials and try again." });

    tokens.jwt = {};
    const noRoles = await send(undefined, { Authorization: `Bearer ${await fetchToken(tokens, `${graph.url}/.default`)}` });
    expect(noRoles.status).toBe(403);

    graph.allowedMailboxes = new Set(["OTHER@contoso.com"]);
    const outside = await send();
    expect(outside.status).toBe(403);
    expect(errorOf(outside)).toMatchObject({ code: "ErrorAccessDenied", message: "Access to OData is disabled." });
    expect((await send(undefined, {}, sendMailPath("other@contoso.com"))).status).toBe(202);
  });

  it("answers 404 for unknown users and for mailboxes not enabled for REST", async () => {
    const unknown = await send(undefined, {}, sendMailPath("nobody@contoso.com"));
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown)).toMatchObject({ code: "ErrorInvalidUser", message: "The requested user 'nobody@contoso.com' is invalid." });

    const unlicensed = await send(undefined, {}, sendMailPath("old@contoso.com"));
    expect(unlicensed.status).toBe(404);
    expect(errorOf(unlicensed)).toMatchObject({
      code: "MailboxNotEnabledForRESTAPI",
      message: "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
    });
  });

  it("checks Content-Type, Base64 and the MIME itself", async () => {
    const json = await send(undefined, { "Content-Type": "application/json" });
    expect(json.status).toBe(400);
    expect(errorOf(json).code).toBe("UnableToDeserializePostBody");
    expect((await send(undefined, { "Content-Type": "application/octet-stream" })).status).toBe(415);
    expect((await send(undefined, { "Content-Type": "text/plain; charset=us-ascii" })).status).toBe(202);

    for (const body of ["not base64!", "QUJD=A==", Buffer.from(MIME).toString("base64url"), "QUJDR"]) {
      const reply = await send(body);
      expect(reply.status).toBe(400);
      expect(errorOf(reply)).toMatchObject({ code: "ErrorMimeContentInvalidBase64String", message: "Invalid base64 string for MIME content." });
    }

    for (const mime of ["", "just some text\r\n", MIME.replace(/^From: .*\r\n/m, "")]) {
      const reply = await send(base64Lines(mime));
      expect(reply.status).toBe(400);
      expect(errorOf(reply)).toMatchObject({
        code: "ErrorMimeContentInvalid",
        message: "MIME content does not contain all required information, malformed formatting, or empty.",
      });
    }

    const noRecipients = await send(base64Lines("From: sender@contoso.com\r\nSubject: nobody\r\n\r\nhi\r\n"));
    expect(noRecipients.status).toBe(400);
    expect(errorOf(noRecipients).code).toBe("ErrorInvalidRecipients");
    expect(graph.accepted).toHaveLength(1);
  });

  it("takes opaque tokens without reading claims", async () => {
    tokens.jwt = undefined;
    const opaque = await fetchToken(tokens, `${graph.url}/.default`);
    expect(opaque).toMatch(/^at_/);
    expect((await send(undefined, { Authorization: `Bearer ${opaque}` })).status).toBe(202);
  });

  it("accepts exactly 4 MiB of body and answers 413 one byte past it", async () => {
    const head = "From: sender@contoso.com\r\nTo: alex@contoso.com\r\nSubject: big\r\n\r\n";
    // 3 MiB of MIME is exactly 4 MiB of unwrapped Base64.
    const mime = head + "x".repeat((3 * 1024 * 1024) - head.length);
    const body = Buffer.from(mime).toString("base64");
    expect(body.length).toBe(SEND_MAIL_MAX_BODY_BYTES);

    expect((await send(body)).status).toBe(202);
    expect(graph.accepted[0].mime.length).toBe(3 * 1024 * 1024);

    const tooBig = await send(`${body}\n`);
    expect(tooBig.status).toBe(413);
    expect(errorOf(tooBig)).toMatchObject({ code: "RequestEntityTooLarge", message: "Request entity too large" });
    expect(graph.requests[1].bodyBytes).toBe(SEND_MAIL_MAX_BODY_BYTES + 1);
  });

  it("serves canned answers: throttling with Retry-After, a persistent 503, a redirect, a huge body", async () => {
    graph.failNext(graphErrors.throttled(1), 2);
    for (let i = 0; i < 2; i++) {
      const throttled = await send();
      expect(throttled.status).toBe(429);
      expect(throttled.headers["retry-after"]).toBe("1");
      expect(throttled.headers["request-id"]).toMatch(UUID);
      expect(errorOf(throttled)).toMatchObject({
        code: "TooManyRequests",
        message: "Please retry again later.",
        innerError: { "request-id": throttled.headers["request-id"] },
      });
    }
    expect((await send()).status).toBe(202);

    graph.failWith = graphErrors.unavailable(3);
    for (let i = 0; i < 2; i++) {
      const unavailable = await send();
      expect(unavailable.status).toBe(503);
      expect(unavailable.headers["retry-after"]).toBe("3");
    }
    graph.failWith = undefined;

    graph.failNext(graphErrors.redirect("http://127.0.0.1:9/elsewhere"));
    const redirect = await send();
    expect(redirect.status).toBe(307);
    expect(redirect.headers.location).toBe("http://127.0.0.1:9/elsewhere");
    expect(redirect.text).toBe("");

    graph.failNext({ status: 500, body: "x".repeat(1024 * 1024) });
    const huge = await send();
    expect(huge.status).toBe(500);
    expect(huge.text).toHaveLength(1024 * 1024);
    expect(graph.accepted).toHaveLength(1);
  });

  it("delays and holds answers", async () => {
    graph.delayMs = 60;
    const started = Date.now();
    expect((await send()).status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    graph.delayMs = 0;

    const release = graph.hold();
    let answered = false;
    const pending = send().then((reply) => {
      answered = true;
      return reply;
    });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(answered).toBe(false);
    // The message was accepted already: only the answer waits.
    expect(graph.accepted).toHaveLength(2);
    release();
    expect((await pending).status).toBe(202);
  });

  it("drops the connection after the body, with or without handling the request", async () => {
    graph.dropAfterBody = "processed";
    await expect(send()).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(graph.accepted).toHaveLength(1);
    expect(graph.requests[0]).toMatchObject({ status: 0, dropped: true });

    graph.dropAfterBody = "unprocessed";
    await expect(send()).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(graph.accepted).toHaveLength(1);
    expect(graph.requests[1]).toMatchObject({ status: 0, dropped: true });
  });

  it("closes with an answer still held", async () => {
    graph.hold();
    const pending = send();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await graph.close();
    await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});
