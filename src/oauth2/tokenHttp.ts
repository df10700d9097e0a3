import { boundedPost, jsonOf } from "../http/boundedPost";
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

/**
 * One application/x-www-form-urlencoded POST, as RFC 6749 token requests are, through the bounded POST
 * (no redirects, since a redirected POST would carry the secret elsewhere; no kept-alive socket, since a
 * token lives for an hour; a capped answer; `signal` cancels at any point). Rejects with an HttpRequestFailure.
 */
export async function postForm({ url, form, basic, signal }: FormPost): Promise<FormPostResponse> {
  const response = await boundedPost({
    url,
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/json",
      ...(basic && { Authorization: basicCredentials(basic.id, basic.secret) }),
    },
    body: new URLSearchParams(form).toString(),
    signal,
    maxResponseBytes: MAX_RESPONSE_BYTES,
  });
  return { status: response.status, json: jsonOf(response.text) };
}

/** RFC 6749 §2.3.1: id and secret are each form-urlencoded, then joined with ":" and Base64-encoded. */
export function basicCredentials(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`, "utf8").toString("base64")}`;
}
