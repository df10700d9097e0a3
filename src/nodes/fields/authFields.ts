import type { INodeField } from "@cognigy/extension-tools/build/interfaces/descriptor";
import { basicAuthConnection, oauth2ClientCredentialsConnection, oauth2Connection } from "../../connections";
import { t } from "../localize";

/** How the node proves who it is, and the connection holding the secrets for that method. */
export const authFields: INodeField[] = [
  {
    key: "authMethod",
    type: "select",
    label: t("Authentication Method", "Authentifizierungsmethode"),
    description: t(
      "Basic Auth sends a username and password (for Gmail an app password). OAuth2 Client Credentials is what Microsoft 365 needs. None is for relays that accept mail without login.",
      "Basic Auth sendet Benutzername und Passwort (bei Gmail ein App-Passwort). OAuth2 Client Credentials wird für Microsoft 365 benötigt. Keine ist für Relays ohne Anmeldung.",
    ),
    defaultValue: "basic",
    params: {
      required: true,
      options: [
        { label: t("Basic Auth", "Basic Auth"), value: "basic" },
        { label: t("OAuth2 Client Credentials (recommended)", "OAuth2 Client Credentials (empfohlen)"), value: "oauth2ClientCredentials" },
        { label: t("OAuth2 with refresh token (deprecated)", "OAuth2 mit Refresh-Token (veraltet)"), value: "oauth2" },
        { label: t("None", "Keine"), value: "none" },
      ],
    },
  },
  {
    key: "basicConnection",
    type: "connection",
    label: t("Basic Auth Parameters", "Basic-Auth-Parameter"),
    description: t("The connection holding username and password.", "Die Verbindung mit Benutzername und Passwort."),
    condition: { key: "authMethod", value: "basic" },
    params: { connectionType: basicAuthConnection.type, required: true },
  },
  {
    key: "oauth2Connection",
    type: "connection",
    label: t("OAuth2 Parameters", "OAuth2-Parameter"),
    description: t(
      "The connection holding user, client, tokens and token URL. Deprecated: move to OAuth2 Client Credentials.",
      "Die Verbindung mit Benutzer, Client, Tokens und Token-URL. Veraltet: wechseln Sie zu OAuth2 Client Credentials.",
    ),
    condition: { key: "authMethod", value: "oauth2" },
    params: { connectionType: oauth2Connection.type, required: true },
  },
  {
    key: "clientCredentialsConnection",
    type: "connection",
    label: t("OAuth2 Client Credentials Parameters", "OAuth2-Client-Credentials-Parameter"),
    description: t(
      "The connection holding token endpoint URL, client ID, client secret, scope and sender mailbox.",
      "Die Verbindung mit Token-Endpunkt-URL, Client-ID, Client-Secret, Scope und Absender-Postfach.",
    ),
    condition: { key: "authMethod", value: "oauth2ClientCredentials" },
    params: { connectionType: oauth2ClientCredentialsConnection.type, required: true },
  },
];

/** Token-request detail only some providers need; lives with the other connection options. */
export const tokenRequestFields: INodeField[] = [
  {
    key: "clientAuthStyle",
    type: "select",
    label: t("Client Authentication at Token Endpoint", "Client-Authentifizierung am Token-Endpunkt"),
    description: t(
      "How client ID and secret reach the token endpoint. Microsoft expects them in the request body; some providers want an HTTP Basic header.",
      "Wie Client-ID und Secret zum Token-Endpunkt gelangen. Microsoft erwartet sie im Request-Body; manche Anbieter wollen einen HTTP-Basic-Header.",
    ),
    defaultValue: "body",
    condition: { key: "authMethod", value: "oauth2ClientCredentials" },
    params: {
      options: [
        { label: t("In the request body (Microsoft)", "Im Request-Body (Microsoft)"), value: "body" },
        { label: t("HTTP Basic header", "HTTP-Basic-Header"), value: "header" },
      ],
    },
  },
];
