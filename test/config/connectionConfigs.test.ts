import extension from "../../src/module";
import {
  DEFAULT_OAUTH2_ACCESS_URL,
  MICROSOFT_SMTP_SCOPE,
  basicAuthConnectionConfig,
  clientCredentialsConnectionConfig,
  withDefaultScope,
  oauth2ConnectionConfig,
} from "../../src/config/connectionConfigs";
import type { ConnectionSchema } from "../../src/connections/connectionSchema";
import type { DeliveryConfig } from "../../src/config/deliveryConfig";

const optionalFields = (type: string) =>
  (extension.connections.find((connection) => connection.type === type) as ConnectionSchema).fields
    .filter((field) => field.required === false)
    .map((field) => field.fieldName);

/** The three ways Cognigy may hand over a connection field nobody filled in. */
const EMPTY_FORMS = [["left out", undefined], ["empty text", ""], ["null", null]] as const;
const withEmpty = (base: Record<string, unknown>, keys: string[], empty: unknown) => {
  const connection = { ...base };
  for (const key of keys) {
    if (empty === undefined) delete connection[key];
    else connection[key] = empty;
  }
  return connection;
};

describe("connection fields Cognigy may leave empty", () => {
  it("are marked required: false, and only those", () => {
    expect(optionalFields("smtp-basic-auth")).toEqual([]);
    expect(optionalFields("smtp-oauth2")).toEqual(["accessToken", "refreshToken", "expiryDate", "accessUrl", "tlsOption"]);
    expect(optionalFields("smtp-oauth2-client-credentials")).toEqual(["scope"]);
  });

  it.each(EMPTY_FORMS)("OAuth2: a refresh-token connection parses with every optional field %s", (_form, empty) => {
    const base = { user: "bot@example.com", clientId: "id", clientSecret: "secret", refreshToken: "rt", accessToken: "at", expiryDate: "1", accessUrl: "https://x.example/token", tlsOption: "tls" };
    const parsed = oauth2ConnectionConfig().parse(withEmpty(base, ["accessToken", "expiryDate", "accessUrl", "tlsOption"], empty));
    expect(parsed).toEqual({ user: "bot@example.com", clientId: "id", clientSecret: "secret", refreshToken: "rt", accessUrl: DEFAULT_OAUTH2_ACCESS_URL });
  });

  it.each(EMPTY_FORMS)("OAuth2: an access-token-only connection parses with refreshToken %s", (_form, empty) => {
    const base = { user: "bot@example.com", clientId: "id", clientSecret: "secret", accessToken: "at", refreshToken: "rt" };
    const parsed = oauth2ConnectionConfig().parse(withEmpty(base, ["refreshToken"], empty));
    expect(parsed.accessToken).toBe("at");
    expect(parsed.refreshToken).toBeUndefined();
  });

  it("OAuth2: with neither token the error says to enter one", () => {
    const result = oauth2ConnectionConfig().safeParse({ user: "bot@example.com", clientId: "id", clientSecret: "secret", accessToken: "", refreshToken: null });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("The OAuth2 connection has neither accessToken nor refreshToken: enter at least one.");
  });

  const SMTP: DeliveryConfig = { kind: "smtp" };
  const scopeOf = (connection: unknown, delivery: DeliveryConfig = SMTP) => withDefaultScope(clientCredentialsConnectionConfig().parse(connection), delivery).scope;

  it.each(EMPTY_FORMS)("Client Credentials: scope %s means Microsoft's SMTP scope for a Microsoft token endpoint", (_form, empty) => {
    const base = { tokenEndpointUrl: "https://login.microsoftonline.com/tenant-id/oauth2/v2.0/token", clientId: "id", clientSecret: "secret", scope: "x", user: "bot@example.com" };
    expect(scopeOf(withEmpty(base, ["scope"], empty))).toBe(MICROSOFT_SMTP_SCOPE);
  });

  it.each(EMPTY_FORMS)("Client Credentials: scope %s means the Graph endpoint's .default with Delivery Microsoft Graph", (_form, empty) => {
    const base = { tokenEndpointUrl: "https://login.microsoftonline.us/tenant-id/oauth2/v2.0/token", clientId: "id", clientSecret: "secret", scope: "x", user: "bot@example.com" };
    expect(scopeOf(withEmpty(base, ["scope"], empty), { kind: "graph", endpoint: "https://graph.microsoft.us" })).toBe("https://graph.microsoft.us/.default");
  });

  it("Client Credentials: scope stays unset for other token endpoints, and a given scope is kept", () => {
    const base = { tokenEndpointUrl: "https://auth.example.com/token", clientId: "id", clientSecret: "secret", user: "bot@example.com" };
    expect(scopeOf({ ...base, scope: "" })).toBeUndefined();
    const microsoft = { ...base, tokenEndpointUrl: "https://login.microsoftonline.com/t/oauth2/v2.0/token", scope: "https://outlook.office.com/.default" };
    expect(scopeOf(microsoft)).toBe("https://outlook.office.com/.default");
    expect(scopeOf(microsoft, { kind: "graph", endpoint: "https://graph.microsoft.com" })).toBe("https://outlook.office.com/.default");
  });

  it("Basic Auth: both fields stay required", () => {
    expect(basicAuthConnectionConfig().safeParse({ username: "u", password: "" }).success).toBe(false);
  });
});
