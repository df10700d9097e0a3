import type { AuthConfig, ServerConfig } from "../../src/config/transportConfig";
import { SmtpEmailError } from "../../src/errors/SmtpEmailError";
import { resolveServerEndpoint } from "../../src/delivery/smtp/serverEndpoint";

const noAuth: AuthConfig = { method: "none" };
const custom = (security: ServerConfig["security"], port?: number): ServerConfig => ({ emailService: "custom", host: "smtp.example.com", port, security });
const oauth2WithTlsOption = (tlsOption: "tls" | "starttls" | "none"): AuthConfig => ({
  method: "oauth2",
  connection: { user: "u@example.com", accessToken: "at", accessUrl: "https://accounts.google.com/o/oauth2/token", tlsOption },
});

describe("resolveServerEndpoint: custom server", () => {
  test.each([
    ["tls", undefined, 465, "tls"],
    ["starttls", undefined, 587, "starttls"],
    ["none", undefined, 25, "none"],
    ["auto", undefined, 587, "opportunistic"],
    ["auto", 465, 465, "tls"],
    ["auto", 2525, 2525, "opportunistic"],
    ["tls", 2465, 2465, "tls"],
    ["starttls", 465, 465, "starttls"],
  ] as const)("security %s with port %s connects to port %s with %s", (security, port, expectedPort, tlsMode) => {
    expect(resolveServerEndpoint(custom(security, port), noAuth)).toEqual({ host: "smtp.example.com", port: expectedPort, tlsMode });
  });

  test("auto on a port other than 465 requires STARTTLS whenever a credential is configured", () => {
    const basic: AuthConfig = { method: "basic", connection: { username: "u", password: "p" } };
    const clientCredentials: AuthConfig = {
      method: "oauth2ClientCredentials",
      connection: { tokenEndpointUrl: "https://login.example.com/token", clientId: "c", clientSecret: "s", user: "u@example.com" },
      clientAuthStyle: "body",
    };
    const pastedToken: AuthConfig = { method: "oauth2", connection: { user: "u@example.com", accessToken: "at", accessUrl: "https://accounts.google.com/o/oauth2/token" } };
    for (const auth of [basic, clientCredentials, pastedToken]) {
      expect(resolveServerEndpoint(custom("auto"), auth)).toEqual({ host: "smtp.example.com", port: 587, tlsMode: "starttls" });
      expect(resolveServerEndpoint(custom("auto", 25), auth)).toMatchObject({ port: 25, tlsMode: "starttls" });
      expect(resolveServerEndpoint(custom("auto", 465), auth)).toMatchObject({ port: 465, tlsMode: "tls" });
      expect(resolveServerEndpoint(custom("none", 25), auth)).toMatchObject({ port: 25, tlsMode: "none" });
    }
  });

  test("an OAuth2 connection's tlsOption applies when the node's security is auto", () => {
    expect(resolveServerEndpoint(custom("auto"), oauth2WithTlsOption("tls"))).toEqual({ host: "smtp.example.com", port: 465, tlsMode: "tls" });
    expect(resolveServerEndpoint(custom("auto", 2525), oauth2WithTlsOption("none"))).toMatchObject({ port: 2525, tlsMode: "none" });
  });

  test("the node's explicit security wins over the connection's tlsOption", () => {
    expect(resolveServerEndpoint(custom("starttls"), oauth2WithTlsOption("none"))).toMatchObject({ port: 587, tlsMode: "starttls" });
    expect(resolveServerEndpoint(custom("none", 25), oauth2WithTlsOption("tls"))).toMatchObject({ port: 25, tlsMode: "none" });
  });

  test("a custom server without host is a configuration error", () => {
    expect(() => resolveServerEndpoint({ emailService: "custom", security: "auto" }, noAuth)).toThrow(SmtpEmailError);
  });
});

describe("resolveServerEndpoint: well-known services", () => {
  test("take host, port and TLS from nodemailer's table", () => {
    expect(resolveServerEndpoint({ emailService: "Gmail", security: "auto" }, noAuth)).toEqual({ host: "smtp.gmail.com", port: 465, tlsMode: "tls" });
  });

  test("require STARTTLS when the table lists no implicit TLS", () => {
    expect(resolveServerEndpoint({ emailService: "Outlook365", security: "auto" }, noAuth)).toEqual({ host: "smtp.office365.com", port: 587, tlsMode: "starttls" });
  });

  test("honour ignoreTLS of local development tools", () => {
    expect(resolveServerEndpoint({ emailService: "Maildev", security: "auto" }, noAuth)).toEqual({ host: "localhost", port: 1025, tlsMode: "none" });
  });

  test("ignore the hidden host, port and security fields, so a stale value cannot downgrade them", () => {
    const stale: ServerConfig = { emailService: "Gmail", host: "evil.example.com", port: 25, security: "none" };
    expect(resolveServerEndpoint(stale, oauth2WithTlsOption("none"))).toEqual({ host: "smtp.gmail.com", port: 465, tlsMode: "tls" });
  });

  test("an unknown service is a configuration error", () => {
    expect(() => resolveServerEndpoint({ emailService: "NoSuchMail", security: "auto" }, noAuth)).toThrow(/not a known service/);
  });
});
