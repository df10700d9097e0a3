/**
 * A real OAuth2 token endpoint for the tests (node:http on 127.0.0.1, OS-chosen port).
 *
 * Serves POST /token (application/x-www-form-urlencoded) with the `client_credentials` and
 * `refresh_token` grants. Clients authenticate with client_id/client_secret in the body or
 * with HTTP Basic (RFC 6749 section 2.3.1: base64 of form-urlencoded id ":" form-urlencoded
 * secret); every request is recorded with the style it used.
 *
 *   const endpoint = await startTokenEndpoint({ clients: { app: "s3cret" } });
 *   // POST endpoint.url ... -> { access_token, token_type: "Bearer", expires_in, ... }
 *   endpoint.isValidToken(token); // wire into startSmtpTestServer({ auth: { tokens: (_u, t) => endpoint.isValidToken(t) } })
 *
 * The settings (failWith, delayMs, expiresIn, requiredScope, rotateRefreshToken, clients,
 * refreshTokens, jwt) are live: a test may change them on the handle between requests.
 *
 * With `jwt` set, access tokens are JWT-shaped like the ones Microsoft Entra ID issues for the
 * client-credentials grant, so a resource stand-in (graphStandIn.ts) can read aud and roles:
 *   const endpoint = await startTokenEndpoint({ clients: { app: "s3cret" }, jwt: { roles: ["Mail.Send"] } });
 *   decodeJwtPayload(token)?.roles; // ["Mail.Send"]
 */
import crypto from "node:crypto";
import http from "node:http";
import { closeHttpServer, listenOnLoopback } from "./listenOnLoopback";
import { PacedAnswers } from "./pacedAnswers";
import { runtimeSecrets } from "./testSecrets";

export const TOKEN_PATH = "/token";

/** How the client authenticated in a token request. "none": no client credentials at all. */
export type ClientAuthStyle = "body" | "basic" | "none";

/** A canned error response: HTTP status and JSON body (a string body is sent as it is). */
export interface TokenErrorResponse {
  status: number;
  body: object | string;
  headers?: Record<string, string>;
}

export interface TokenRequestRecord {
  /** grant_type as sent ("" when missing). */
  grantType: string;
  clientAuth: ClientAuthStyle;
  /** Client id after decoding, if one was sent. */
  clientId?: string;
  scope?: string;
  /** Date.now() when the request arrived. */
  at: number;
  /** HTTP status of the response. */
  status: number;
  /** OAuth2 error code of a failed request, e.g. "invalid_client". */
  error?: string;
  /** For Basic auth: the credentials as they were inside the base64, before form-decoding ("id:secret"). */
  basicCredentials?: string;
  contentType?: string;
  /** The form parameters as received. */
  params: Record<string, string>;
}

export interface IssuedToken {
  accessToken: string;
  clientId: string;
  grantType: "client_credentials" | "refresh_token";
  scope?: string;
  issuedAt: number;
  /** Epoch ms after which isValidToken() is false. */
  expiresAt: number;
  /** New refresh token issued along with it (rotation). */
  refreshToken?: string;
  revoked: boolean;
}

/**
 * Issue JWT-shaped access tokens instead of opaque ones. The claims follow Entra ID v1.0 access
 * tokens for app-only (client-credentials) access: aud is the resource, i.e. the requested scope
 * without its trailing "/.default"; appid is the client id; roles lists the application
 * permissions and is left out when there are none ("Claims are present only if a value exists to
 * fill it"); iss is the tenant's v1.0 STS. Source: Microsoft identity platform, "Access token
 * claims reference" (https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference).
 * The signature is random bytes: no resource stand-in verifies it, they ask isValidToken instead.
 * The refresh_token grant gets the same shape (a simplification: Entra would issue a delegated
 * token with scp instead of roles there).
 */
export interface JwtTokenOptions {
  /** Application permissions put into the roles claim, e.g. ["Mail.Send"]. */
  roles?: string[];
}

export interface TokenEndpointOptions {
  /** clientId -> clientSecret. */
  clients: Record<string, string>;
  /** Valid refresh tokens (copied into the handle's live `refreshTokens` set). */
  refreshTokens?: Iterable<string>;
  /** expires_in of issued tokens in seconds, default 3600. 0 issues tokens that are already invalid. */
  expiresIn?: number;
  /** With the refresh_token grant, return a new refresh token and invalidate the one used. */
  rotateRefreshToken?: boolean;
  /** When set, a request must ask for this scope (space-separated list) or gets 400 invalid_scope. */
  requiredScope?: string;
  /** Answer every request with this response. */
  failWith?: TokenErrorResponse;
  /** Delay before every response. */
  delayMs?: number;
  /**
   * A careless endpoint: every error response's error_description quotes the request, the raw form
   * body (client_secret and refresh_token form-encoded) and the Authorization header (HTTP Basic).
   */
  echoRequest?: boolean;
  /**
   * How Basic credentials are decoded. "strict" (default): RFC 6749 2.3.1, id and secret must
   * be form-urlencoded inside the base64 (a client that skips that fails once the secret holds
   * "+", "%" or similar). "lenient": also accept the raw, unencoded id:secret.
   */
  basicEncoding?: "strict" | "lenient";
  /** Issue JWT-shaped access tokens (see JwtTokenOptions). Default: opaque tokens. */
  jwt?: JwtTokenOptions;
}

export interface TokenEndpoint {
  /** http://127.0.0.1:PORT/token */
  readonly url: string;
  readonly port: number;
  clients: Record<string, string>;
  readonly refreshTokens: Set<string>;
  expiresIn: number;
  rotateRefreshToken: boolean;
  requiredScope?: string;
  failWith?: TokenErrorResponse;
  delayMs: number;
  basicEncoding: "strict" | "lenient";
  echoRequest: boolean;
  jwt?: JwtTokenOptions;
  /** The tid claim of JWT tokens (a fresh GUID per endpoint). */
  readonly tenantId: string;
  readonly issuedTokens: IssuedToken[];
  readonly requests: TokenRequestRecord[];
  readonly requestCount: number;
  /** True for a token this endpoint issued that is neither expired nor revoked. Safe to pass around detached. */
  readonly isValidToken: (token: string) => boolean;
  /** Invalidates every access token issued so far. */
  revokeAll(): void;
  /** Invalidates one access token. */
  revoke(token: string): void;
  /** Answer the next `times` requests (default 1) with `failure`, before `failWith` is considered. */
  failNext(failure: TokenErrorResponse, times?: number): void;
  /** Holds every answer (requests are still recorded) until the returned function is called. */
  hold(): () => void;
  close(): Promise<void>;
}

/** Standard error bodies, for `failWith` / `failNext` or for comparing with what a client reports. */
export const tokenErrors = {
  invalidClient: (description = "Client authentication failed."): TokenErrorResponse => ({
    status: 401,
    body: { error: "invalid_client", error_description: description },
  }),
  invalidGrant: (description = "The refresh token is invalid or expired."): TokenErrorResponse => ({
    status: 400,
    body: { error: "invalid_grant", error_description: description },
  }),
  invalidScope: (description = "The requested scope is invalid."): TokenErrorResponse => ({
    status: 400,
    body: { error: "invalid_scope", error_description: description },
  }),
  serverError: (status = 503): TokenErrorResponse => ({
    status,
    body: { error: "temporarily_unavailable", error_description: "The service is temporarily unavailable." },
  }),
};

/**
 * `Authorization` header value for HTTP Basic client authentication as RFC 6749 2.3.1 defines
 * it: id and secret are each application/x-www-form-urlencoded before joining with ":".
 */
export function basicAuthHeader(clientId: string, clientSecret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`, "utf8").toString("base64")}`;
}

/**
 * The payload of a JWT-shaped token (header.payload.signature, base64url), or undefined when the
 * token is not one. Reads claims only: nothing is verified.
 */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return isRecord(payload) ? payload : undefined;
  } catch {
    return undefined;
  }
}

export async function startTokenEndpoint(options: TokenEndpointOptions): Promise<TokenEndpoint> {
  const endpoint = new TokenEndpointServer(options);
  await endpoint.listen();
  return endpoint;
}

// ---------------------------------------------------------------------------------------------

const MAX_BODY_BYTES = 64 * 1024;

interface Outcome {
  status: number;
  body: object | string;
  headers?: Record<string, string>;
}

class TokenEndpointServer implements TokenEndpoint {
  clients: Record<string, string>;
  readonly refreshTokens: Set<string>;
  expiresIn: number;
  rotateRefreshToken: boolean;
  requiredScope?: string;
  failWith?: TokenErrorResponse;
  delayMs: number;
  basicEncoding: "strict" | "lenient";
  echoRequest: boolean;
  jwt?: JwtTokenOptions;
  readonly tenantId = crypto.randomUUID();
  readonly issuedTokens: IssuedToken[] = [];
  readonly requests: TokenRequestRecord[] = [];

  private readonly byToken = new Map<string, IssuedToken>();
  private readonly queuedFailures: TokenErrorResponse[] = [];
  private readonly server: http.Server;
  private boundPort = 0;
  private closing?: Promise<void>;

  constructor(options: TokenEndpointOptions) {
    this.clients = { ...options.clients };
    this.refreshTokens = new Set(options.refreshTokens ?? []);
    this.expiresIn = options.expiresIn ?? 3600;
    this.rotateRefreshToken = options.rotateRefreshToken === true;
    this.requiredScope = options.requiredScope;
    this.failWith = options.failWith;
    this.delayMs = options.delayMs ?? 0;
    this.basicEncoding = options.basicEncoding ?? "strict";
    this.echoRequest = options.echoRequest === true;
    this.jwt = options.jwt;
    this.server = http.createServer((req, res) => this.handle(req, res));
    // Do not let idle keep-alive sockets hold the process open.
    this.server.keepAliveTimeout = 1000;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}${TOKEN_PATH}`;
  }

  get requestCount(): number {
    return this.requests.length;
  }

  readonly isValidToken = (token: string): boolean => {
    const issued = this.byToken.get(token);
    return issued !== undefined && !issued.revoked && issued.expiresAt > Date.now();
  };

  revokeAll(): void {
    for (const issued of this.issuedTokens) issued.revoked = true;
  }

  revoke(token: string): void {
    const issued = this.byToken.get(token);
    if (issued) issued.revoked = true;
  }

  failNext(failure: TokenErrorResponse, times = 1): void {
    for (let i = 0; i < times; i++) this.queuedFailures.push(failure);
  }

  async listen(): Promise<void> {
    this.boundPort = await listenOnLoopback(this.server, "token endpoint");
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.answers.clear();
      this.closing = closeHttpServer(this.server);
    }
    return this.closing;
  }

  // --- request handling ---------------------------------------------------------------------

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("error", () => res.destroy());
    req.on("end", () => {
      const at = Date.now();
      const record: TokenRequestRecord = { grantType: "", clientAuth: "none", at, status: 0, params: {} };
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const processed = tooLarge ? oauthError(413, "invalid_request", "Request body too large.") : this.process(req, rawBody, record);
      const outcome = this.echoRequest ? withEchoedRequest(processed, rawBody, req.headers.authorization) : processed;
      record.status = outcome.status;
      if (typeof outcome.body === "object" && "error" in outcome.body && typeof outcome.body.error === "string") {
        record.error = outcome.body.error;
      }
      this.requests.push(record);
      this.respond(res, outcome);
    });
  }

  private process(req: http.IncomingMessage, rawBody: string, record: TokenRequestRecord): Outcome {
    const contentType = req.headers["content-type"];
    if (contentType !== undefined) record.contentType = contentType;
    const params = Object.fromEntries(new URLSearchParams(rawBody));
    record.params = params;
    record.grantType = params.grant_type ?? "";
    if (params.scope !== undefined) record.scope = params.scope;

    // Client authentication style is known from the request alone, record it even for failures.
    const basic = parseBasic(req.headers.authorization);
    const bodyHasCredentials = params.client_id !== undefined || params.client_secret !== undefined;
    if (basic) {
      record.clientAuth = "basic";
      record.basicCredentials = basic.raw;
      record.clientId = basic.id ?? basic.rawId;
    } else if (bodyHasCredentials) {
      record.clientAuth = "body";
      if (params.client_id !== undefined) record.clientId = params.client_id;
    }

    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== TOKEN_PATH) return { status: 404, body: { error: "not_found" } };
    if (req.method !== "POST") return { status: 405, body: { error: "invalid_request", error_description: "Use POST." }, headers: { Allow: "POST" } };

    const queued = this.queuedFailures.shift() ?? this.failWith;
    if (queued) return { status: queued.status, body: queued.body, ...(queued.headers ? { headers: queued.headers } : {}) };

    if (!contentType || !/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
      return oauthError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded.");
    }

    // --- client authentication (RFC 6749 2.3.1: exactly one method) ---
    if (basic && params.client_secret !== undefined) {
      return oauthError(400, "invalid_request", "Client credentials were sent with more than one method.");
    }
    if (basic === null) {
      // An Authorization header that is not valid Basic: treat as failed client authentication.
      return { ...oauthError(401, "invalid_client", "Malformed Basic credentials."), headers: { "WWW-Authenticate": 'Basic realm="token"' } };
    }
    let clientId: string | undefined;
    if (basic) {
      clientId = this.checkBasic(basic);
      if (clientId === undefined) {
        return { ...oauthError(401, "invalid_client", "Client authentication failed."), headers: { "WWW-Authenticate": 'Basic realm="token"' } };
      }
    } else {
      clientId = params.client_id;
      const clientSecret = params.client_secret;
      if (clientId === undefined || clientSecret === undefined) {
        return oauthError(401, "invalid_client", "Client authentication is required.");
      }
      if (!this.matches(clientId, clientSecret)) {
        return oauthError(401, "invalid_client", "Client authentication failed.");
      }
    }

    // --- grants ---
    const grantType = params.grant_type;
    if (grantType === undefined || grantType === "") {
      return oauthError(400, "invalid_request", "The grant_type parameter is missing.");
    }
    if (grantType === "client_credentials") {
      const scopeError = this.checkScope(params.scope, true);
      if (scopeError) return scopeError;
      return this.issue(clientId, "client_credentials", params.scope);
    }
    if (grantType === "refresh_token") {
      const refreshToken = params.refresh_token;
      if (refreshToken === undefined || refreshToken === "") {
        return oauthError(400, "invalid_request", "The refresh_token parameter is missing.");
      }
      if (!this.refreshTokens.has(refreshToken)) {
        return oauthError(400, "invalid_grant", "The refresh token is invalid or expired.");
      }
      const scopeError = this.checkScope(params.scope, false);
      if (scopeError) return scopeError;
      let rotated: string | undefined;
      if (this.rotateRefreshToken) {
        this.refreshTokens.delete(refreshToken);
        rotated = `rt_${crypto.randomBytes(24).toString("base64url")}`;
        this.refreshTokens.add(rotated);
      }
      return this.issue(clientId, "refresh_token", params.scope, rotated);
    }
    return oauthError(400, "unsupported_grant_type", `Grant type "${grantType}" is not supported.`);
  }

  private matches(clientId: string, clientSecret: string): boolean {
    return Object.hasOwn(this.clients, clientId) && safeEqual(this.clients[clientId], clientSecret);
  }

  /** The authenticated client id for Basic credentials, or undefined. */
  private checkBasic(basic: BasicCredentials): string | undefined {
    if (basic.id !== undefined && basic.secret !== undefined && this.matches(basic.id, basic.secret)) return basic.id;
    if (this.basicEncoding === "lenient" && this.matches(basic.rawId, basic.rawSecret)) return basic.rawId;
    return undefined;
  }

  /** invalid_scope unless the request asks for requiredScope; `mustAsk`: a missing scope fails too. */
  private checkScope(scope: string | undefined, mustAsk: boolean): Outcome | undefined {
    const required = this.requiredScope;
    if (required === undefined) return undefined;
    if (scope === undefined) {
      return mustAsk ? oauthError(400, "invalid_scope", `The scope "${required}" is required.`) : undefined;
    }
    const asked = scope.split(/\s+/).filter(Boolean);
    return asked.includes(required) ? undefined : oauthError(400, "invalid_scope", `The scope "${required}" is required.`);
  }

  private issue(
    clientId: string,
    grantType: IssuedToken["grantType"],
    scope: string | undefined,
    refreshToken?: string,
  ): Outcome {
    const now = Date.now();
    const grantedScope = scope ?? this.requiredScope;
    let accessToken: string;
    do {
      accessToken = this.jwt
        ? this.jwtToken(clientId, grantedScope, now, this.jwt)
        : `at_${crypto.randomBytes(24).toString("base64url")}`;
    } while (this.byToken.has(accessToken));
    const issued: IssuedToken = {
      accessToken,
      clientId,
      grantType,
      ...(grantedScope !== undefined ? { scope: grantedScope } : {}),
      issuedAt: now,
      expiresAt: now + this.expiresIn * 1000,
      ...(refreshToken !== undefined ? { refreshToken } : {}),
      revoked: false,
    };
    this.issuedTokens.push(issued);
    // Whatever a node stores or logs is scanned for every token issued here.
    runtimeSecrets.add(accessToken);
    if (refreshToken !== undefined) runtimeSecrets.add(refreshToken);
    this.byToken.set(accessToken, issued);
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: "Bearer",
        expires_in: this.expiresIn,
        ...(grantedScope !== undefined ? { scope: grantedScope } : {}),
        ...(refreshToken !== undefined ? { refresh_token: refreshToken } : {}),
      },
    };
  }

  /** A JWT-shaped token with Entra ID v1.0 app-only claims (see JwtTokenOptions). */
  private jwtToken(clientId: string, scope: string | undefined, nowMs: number, options: JwtTokenOptions): string {
    const iat = Math.floor(nowMs / 1000);
    const aud = audienceOfScope(scope);
    const roles = options.roles ?? [];
    const header = { typ: "JWT", alg: "RS256" };
    const payload = {
      ...(aud !== undefined ? { aud } : {}),
      // v1.0 tokens name the tenant's STS as issuer.
      iss: `https://sts.windows.net/${this.tenantId}/`,
      iat,
      nbf: iat,
      exp: iat + this.expiresIn,
      appid: clientId,
      ...(roles.length > 0 ? { roles: [...roles] } : {}),
      tid: this.tenantId,
    };
    const encode = (value: object) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
    return `${encode(header)}.${encode(payload)}.${crypto.randomBytes(64).toString("base64url")}`;
  }

  private readonly answers = new PacedAnswers();

  hold(): () => void {
    return this.answers.hold();
  }

  private respond(res: http.ServerResponse, outcome: Outcome): void {
    this.answers.answer(this.delayMs, () => {
      if (res.destroyed) return;
      const isJson = typeof outcome.body !== "string";
      const payload = isJson ? JSON.stringify(outcome.body) : String(outcome.body);
      res.writeHead(outcome.status, {
        "Content-Type": isJson ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
        "Cache-Control": "no-store",
        Pragma: "no-cache",
        "Content-Length": Buffer.byteLength(payload),
        ...outcome.headers,
      });
      res.end(payload);
    });
  }
}

/** An error response whose description quotes what the client sent. */
function withEchoedRequest(outcome: Outcome, rawBody: string, authorization: string | undefined): Outcome {
  if (outcome.status < 400 || typeof outcome.body !== "object") return outcome;
  const body = outcome.body as Record<string, unknown>;
  const description = typeof body.error_description === "string" ? body.error_description : "Request refused.";
  return { ...outcome, body: { ...body, error_description: `${description} Request: ${rawBody} Authorization: ${authorization ?? "none"}` } };
}

/**
 * The resource a client-credentials scope names: "https://graph.microsoft.com/.default" ->
 * "https://graph.microsoft.com". The grant asks for one resource's /.default, so the first scope
 * value is the one that counts.
 */
function audienceOfScope(scope: string | undefined): string | undefined {
  const first = scope?.split(/\s+/).find(Boolean);
  return first?.replace(/\/\.default$/, "");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function oauthError(status: number, error: string, description: string): Outcome {
  return { status, body: { error, error_description: description } };
}

interface BasicCredentials {
  /** Form-decoded id and secret; undefined where the value is not valid form encoding. */
  id?: string;
  secret?: string;
  /** The halves as they were inside the base64. */
  rawId: string;
  rawSecret: string;
  raw: string;
}

/**
 * Parses `Authorization: Basic ...` per RFC 6749 2.3.1. Returns undefined when there is no
 * Authorization header, null when there is one that is not usable Basic credentials.
 */
function parseBasic(header: string | undefined): BasicCredentials | null | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match) return null;
  const raw = Buffer.from(match[1], "base64").toString("utf8");
  const colon = raw.indexOf(":");
  if (colon < 0) return null;
  const rawId = raw.slice(0, colon);
  const rawSecret = raw.slice(colon + 1);
  const id = formDecode(rawId);
  const secret = formDecode(rawSecret);
  return { ...(id !== undefined ? { id } : {}), ...(secret !== undefined ? { secret } : {}), rawId, rawSecret, raw };
}

/** application/x-www-form-urlencoded decoding of one value ("+" is a space); undefined if malformed. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

function safeEqual(expected: string, actual: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
