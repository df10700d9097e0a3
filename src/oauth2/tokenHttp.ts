import http from "node:http";
import https from "node:https";
// The same encoding the redaction searches for: what goes on the wire is what it must recognize.
import { formEncode } from "../result/secretForms";

/** A token response is a few hundred bytes (a JWT a few KB); anything much larger is not one. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface FormPost {
  url: URL;
  form: Record<string, string>;
  /** RFC 6749 §2.3.1 HTTP Basic client authentication; otherwise the credentials are in `form`. */
  basic?: { id: string; secret: string };
  signal: AbortSignal;
}

export interface FormPostResponse {
  status: number;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown;
}

/** Why a token request got no HTTP answer (or one too large to read). Holds nothing secret. */
export class TokenHttpFailure extends Error {
  constructor(
    readonly reason: "aborted" | "network" | "too-large",
    /** The system or TLS error code, e.g. ECONNREFUSED, CERT_HAS_EXPIRED. */
    readonly systemCode?: string,
  ) {
    super(`token request failed: ${reason}${systemCode ? ` (${systemCode})` : ""}`);
    this.name = "TokenHttpFailure";
  }
}

/**
 * One application/x-www-form-urlencoded POST, as RFC 6749 token requests are. No redirects are
 * followed (a redirected POST would carry the secret elsewhere), no connection is kept alive (a
 * token lives for an hour, and an idle socket must not hold the process open), the body is capped,
 * and `signal` cancels the request at any point, closing the socket.
 */
export function postForm({ url, form, basic, signal }: FormPost): Promise<FormPostResponse> {
  const body = new URLSearchParams(form).toString();
  const headers: http.OutgoingHttpHeaders = {
    "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/json",
    "Content-Length": Buffer.byteLength(body),
    Connection: "close",
    ...(basic && { Authorization: basicCredentials(basic.id, basic.secret) }),
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new TokenHttpFailure("aborted"));
    const request = client.request(url, { method: "POST", headers, agent: false, signal, ...(url.protocol === "https:" && { minVersion: "TLSv1.2" as const }) }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          request.destroy(new TokenHttpFailure("too-large"));
          return;
        }
        chunks.push(chunk);
      });
      response.on("error", (error) => fail(error));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, json: parseJson(Buffer.concat(chunks).toString("utf8")) }));
    });
    const fail = (error: unknown) => {
      if (error instanceof TokenHttpFailure) reject(error);
      else if (signal.aborted) reject(new TokenHttpFailure("aborted"));
      else reject(new TokenHttpFailure("network", systemCodeOf(error)));
    };
    request.on("error", fail);
    request.end(body);
  });
}

/** RFC 6749 §2.3.1: id and secret are each form-urlencoded, then joined with ":" and Base64-encoded. */
export function basicCredentials(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`, "utf8").toString("base64")}`;
}

function parseJson(text: string): unknown {
  try {
    return text.trim() ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

function systemCodeOf(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && /^[A-Z0-9_]{2,64}$/.test(code) ? code : undefined;
}
