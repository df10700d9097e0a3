/**
 * Whether a URL that will carry a secret (a client secret, a refresh token, a bearer token) is safe to
 * send it to: https, or plain http to a loopback address alone (127.0.0.0/8, ::1, localhost), so a
 * local stand-in can be tested.
 */
export function isTlsOrLoopback(url: URL): boolean {
  if (url.protocol === "https:") return true;
  if (url.protocol !== "http:") return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (host === "localhost" || host === "::1") return true;
  return /^127(\.\d{1,3}){3}$/.test(host);
}
