import http from "node:http";
import https from "node:https";
import { HttpRequestFailure } from "./httpRequestFailure";

export interface BoundedPost {
  url: URL;
  headers: http.OutgoingHttpHeaders;
  body: string;
  /** Cancels the request at any point and closes its socket. */
  signal: AbortSignal;
  /** The answer's body is read up to this many bytes; a longer one fails the request as "too-large". */
  maxResponseBytes: number;
}

export interface BoundedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body, UTF-8 decoded. */
  text: string;
}

/**
 * One POST to a server that is not trusted to behave: no redirect is followed (a redirected request
 * would carry its credentials elsewhere), no connection is kept alive (an idle socket must not hold a
 * finished process open), TLS 1.2 or newer, the answer is read up to a bound, and `signal` ends it all.
 */
export function boundedPost({ url, headers, body, signal, maxResponseBytes }: BoundedPost): Promise<BoundedResponse> {
  const client = url.protocol === "https:" ? https : http;
  const allHeaders: http.OutgoingHttpHeaders = { ...headers, "Content-Length": Buffer.byteLength(body), Connection: "close" };
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new HttpRequestFailure("aborted"));
    let sent = false;
    const request = client.request(url, { method: "POST", headers: allHeaders, agent: false, signal, ...(url.protocol === "https:" && { minVersion: "TLSv1.2" as const }) }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxResponseBytes) {
          request.destroy(new HttpRequestFailure("too-large", undefined, true));
          return;
        }
        chunks.push(chunk);
      });
      response.on("error", (error) => fail(error));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString("utf8") }));
    });
    // "finish": the last byte of the body went to the socket; a failure from here on may follow a request the server acted on.
    request.once("finish", () => (sent = true));
    const fail = (error: unknown) => {
      if (error instanceof HttpRequestFailure) reject(error);
      else if (signal.aborted) reject(new HttpRequestFailure("aborted", undefined, sent));
      else reject(new HttpRequestFailure("network", systemCodeOf(error), sent));
    };
    request.on("error", fail);
    request.end(body);
  });
}

/** An answer's body parsed as JSON; undefined when it is empty or not JSON. */
export function jsonOf(text: string): unknown {
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
