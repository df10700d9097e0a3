import { boundedPost, jsonOf } from "../../http/boundedPost";

/** Microsoft Graph refuses requests over 4 MB (sendMail with MIME content counts the Base64 text). */
export const GRAPH_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Base64 writes 4 characters for every 3 bytes: the largest MIME whose encoding fits one request. */
export const GRAPH_MAX_MIME_BYTES = (GRAPH_MAX_REQUEST_BYTES / 4) * 3;
/** A 202 has no body and an error body is a small JSON object; anything much larger is not Graph. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** What Graph answered to one sendMail request, reduced to what the node acts on and reports. */
export interface GraphAnswer {
  status: number;
  /** Graph's `request-id` header: what Microsoft support asks for. */
  requestId?: string;
  /** Graph's `client-request-id` header: the id the node sent, echoed. */
  clientRequestId?: string;
  /** From `Retry-After` (seconds or an HTTP date), for 429 and 503. */
  retryAfterMs?: number;
  /** `error.code` and `error.message` of Graph's error JSON. */
  errorCode?: string;
  errorMessage?: string;
}

/** The sendMail action of one mailbox: `{endpoint}/v1.0/users/{mailbox}/sendMail`; the mailbox is one path segment whatever it holds. */
export function sendMailUrl(endpoint: string, mailbox: string): URL {
  return new URL(`/v1.0/users/${encodeURIComponent(mailbox)}/sendMail`, endpoint);
}

/**
 * POSTs a MIME message, Base64-encoded, as Graph's sendMail takes it (`Content-Type: text/plain`).
 * Rejects with an HttpRequestFailure when no answer came; every answer, error or not, resolves.
 */
export async function postSendMail(url: URL, accessToken: string, mimeBase64: string, clientRequestId: string, signal: AbortSignal): Promise<GraphAnswer> {
  const response = await boundedPost({
    url,
    headers: {
      Authorization: `Bearer ${accessToken}`,
      "Content-Type": "text/plain",
      Accept: "application/json",
      "client-request-id": clientRequestId,
      "return-client-request-id": "true",
    },
    body: mimeBase64,
    signal,
    maxResponseBytes: MAX_ANSWER_BYTES,
  });
  const header = (name: string) => {
    const value = response.headers[name];
    return typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, 128) : undefined;
  };
  const retryAfter = header("retry-after");
  return {
    status: response.status,
    ...optional("requestId", header("request-id")),
    ...optional("clientRequestId", header("client-request-id")),
    ...optional("retryAfterMs", retryAfter === undefined ? undefined : retryAfterMs(retryAfter, Date.now())),
    ...graphError(response.text),
  };
}

/** RFC 9110 §10.2.3: a number of seconds, or an HTTP date. Undefined when it is neither. */
export function retryAfterMs(value: string, now: number): number | undefined {
  if (/^\d{1,9}$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Graph's error body: `{ "error": { "code": "...", "message": "...", "innerError": {...} } }`. */
function graphError(text: string): Pick<GraphAnswer, "errorCode" | "errorMessage"> {
  const json = jsonOf(text);
  const error = typeof json === "object" && json !== null ? (json as { error?: unknown }).error : undefined;
  if (typeof error !== "object" || error === null) return {};
  const { code, message } = error as { code?: unknown; message?: unknown };
  return { ...optional("errorCode", typeof code === "string" ? code.slice(0, 128) : undefined), ...optional("errorMessage", typeof message === "string" ? message : undefined) };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
