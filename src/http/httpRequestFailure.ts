/**
 * Why a request got no HTTP answer (or one too large to read). Holds nothing secret. Kept apart from the
 * request code, so error mappers can test for it without loading node:http and node:https, which a send
 * that requests nothing over HTTP never needs.
 */
export class HttpRequestFailure extends Error {
  constructor(
    readonly reason: "aborted" | "network" | "too-large",
    /** The system or TLS error code, e.g. ECONNREFUSED, CERT_HAS_EXPIRED. */
    readonly systemCode?: string,
    /** True once the whole request body was handed to the socket: the server may have acted on it. */
    readonly requestSent = false,
  ) {
    super(`HTTP request failed: ${reason}${systemCode ? ` (${systemCode})` : ""}`);
    this.name = "HttpRequestFailure";
  }
}
