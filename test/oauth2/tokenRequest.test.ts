/**
 * The token request itself: RFC 6749 client authentication, answers that are not token responses,
 * and a stalling endpoint whose request is cancelled, socket closed, when the send's time runs out.
 */
import http from "node:http";
import type net from "node:net";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { startTokenEndpoint, type TokenEndpoint } from "../support/tokenEndpoint";
import { resetCaches, sendMail } from "../../src/delivery";
import { message, rejectionOf, TEST_CA_PEM, transportConfig, withDeadline } from "../delivery/helpers/fixtures";

const SECRET = "s3cret +/%&=:é";
let smtp: SmtpTestServer;
let endpoint: TokenEndpoint;

beforeAll(async () => {
  endpoint = await startTokenEndpoint({ clients: { "app id:1": SECRET } });
  smtp = await startSmtpTestServer({ security: "tls", auth: { tokens: (_user, token) => endpoint.isValidToken(token) } });
});

afterEach(() => resetCaches());

afterAll(async () => {
  await resetCaches();
  await Promise.all([smtp.close(), endpoint.close()]);
});

const config = (tokenEndpointUrl: string, clientAuthStyle = "body", timeoutSeconds = 5) =>
  transportConfig({
    emailService: "custom",
    host: smtp.host,
    port: smtp.port,
    security: "tls",
    caCertificate: TEST_CA_PEM,
    authMethod: "oauth2ClientCredentials",
    clientAuthStyle,
    clientCredentialsConnection: { tokenEndpointUrl, clientId: "app id:1", clientSecret: SECRET, user: "app@example.com" },
    timeoutSeconds,
  });

test.each(["body", "header"])("client authentication in the %s with characters that need form encoding (RFC 6749 §2.3.1)", async (style) => {
  endpoint.requests.length = 0;
  await withDeadline(5_000, (deadline) => sendMail(config(endpoint.url, style), message(`style ${style}`), deadline));
  const [request] = endpoint.requests;
  expect(request).toMatchObject({ status: 200, clientId: "app id:1", grantType: "client_credentials", contentType: "application/x-www-form-urlencoded" });
  if (style === "header") {
    // id and secret each form-urlencoded before Base64, so the ":" inside the id cannot split it wrongly.
    expect(request.basicCredentials).toBe("app+id%3A1:s3cret+%2B%2F%25%26%3D%3A%C3%A9");
    expect(request.params.client_secret).toBeUndefined();
  } else {
    expect(request.params).toMatchObject({ client_id: "app id:1", client_secret: SECRET });
  }
});

describe("answers that are not token responses", () => {
  let server: http.Server;
  let url = "";
  let answer: (res: http.ServerResponse) => void = () => undefined;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => answer(res));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/token`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const json = (status: number, body: unknown) => (res: http.ServerResponse) => res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));

  test.each([
    ["HTML instead of JSON", (res: http.ServerResponse) => res.writeHead(200, { "Content-Type": "text/html" }).end("<html>login</html>"), /without a JSON token response/],
    ["no access_token", json(200, { token_type: "Bearer", expires_in: 3600 }), /without an access_token/],
    ["an access_token with a line break", json(200, { access_token: "abc\r\nMAIL FROM:<x>", token_type: "Bearer" }), /without an access_token/],
    ["a token type other than Bearer", json(200, { access_token: "abc", token_type: "mac" }), /Bearer token/],
    ["a JSON array", json(200, [{ access_token: "abc" }]), /without a JSON token response/],
    ["a redirect", (res: http.ServerResponse) => res.writeHead(302, { Location: "http://127.0.0.1:1/elsewhere" }).end(), /answered HTTP 302 without an OAuth2 JSON body/],
    ["an error without JSON", (res: http.ServerResponse) => res.writeHead(500).end("oops"), /answered HTTP 500 without an OAuth2 JSON body/],
    ["a body of 1 MB", (res: http.ServerResponse) => res.writeHead(200, { "Content-Type": "application/json" }).end(`{"access_token":"${"a".repeat(1024 * 1024)}"}`), /far more data than a token response/],
  ])("%s is a token error naming the connection, and nothing is sent", async (_name, respond, expected) => {
    answer = respond;
    smtp.clear();
    const error = await rejectionOf(withDeadline(5_000, (deadline) => sendMail(config(url), message("malformed"), deadline)));
    expect(error).toMatchObject({ code: "token", details: { field: "clientCredentialsConnection" } });
    expect(error.message).toMatch(expected);
    expect(smtp.connections).toBe(0);
  });

  test("expires_in given as text is understood", async () => {
    answer = json(200, { access_token: "text-expiry-token", token_type: "bearer", expires_in: "3600" });
    const { tokenCache } = await import("../../src/oauth2/tokenCache");
    const { planTransport } = await import("../../src/delivery/smtp/transportPlan");
    const plan = planTransport(config(url));
    const lookup = await tokenCache.get(plan.tokenSource!);
    expect(lookup.token.accessToken).toBe("text-expiry-token");
    expect(lookup.token.expiresAt! - lookup.token.obtainedAt!).toBe(3_600_000);
  });
});

describe("a token endpoint that stalls", () => {
  let server: http.Server;
  let url = "";
  const opened: number[] = [];
  const closed: number[] = [];

  beforeAll(async () => {
    // Reads the request, then never answers: only the client can end the exchange.
    server = http.createServer((req) => req.resume());
    server.on("connection", (socket: net.Socket) => {
      opened.push(Date.now());
      socket.on("close", () => closed.push(Date.now()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/token`;
  });

  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test("the send returns as a timeout by its deadline, and the request's socket is closed by then", async () => {
    const cfg = config(url, "body", 3);
    // Most of the budget is already spent when the token is needed: the request gets what is left, not a fresh 3 s.
    const { createDeadline } = await import("../../src/deadline/deadline");
    const deadline = createDeadline(cfg.options.timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const started = Date.now();
    const error = await rejectionOf(sendMail(cfg, message("stalled token"), deadline));
    const returned = Date.now();
    deadline.dispose();

    expect(error.code).toBe("timeout");
    expect(error.message).toMatch(/while getting an access token from http:\/\/127\.0\.0\.1:\d+\/token/);
    expect(returned - started).toBeLessThan(1_500);
    expect(opened).toHaveLength(1);
    // The abort runs in the same turn that rejects the send; the server sees the FIN right after
    // (a request with a fresh timeout of its own would live 2 s longer).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closed).toHaveLength(1);
    expect(closed[0] - returned).toBeLessThan(1_000);
    expect(smtp.connections).toBe(0);
  });

  test("a request shared by two sends runs until the later deadline, then is cancelled", async () => {
    opened.length = 0;
    closed.length = 0;
    const cfg = config(url, "body", 5);
    const first = rejectionOf(withDeadline(300, (deadline) => sendMail(cfg, message("first"), deadline)));
    const second = rejectionOf(withDeadline(1_500, (deadline) => sendMail(cfg, message("second"), deadline)));
    await first;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(opened).toHaveLength(1);
    expect(closed).toHaveLength(0);
    const secondError = await second;
    const returned = Date.now();
    expect(secondError.code).toBe("timeout");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closed).toHaveLength(1);
    expect(closed[0] - returned).toBeLessThan(1_000);
  });
});
