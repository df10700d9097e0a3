import type { INodeField, TNodeFieldCondition } from "@cognigy/extension-tools/build/interfaces/descriptor";
import { DEFAULT_GRAPH_ENDPOINT } from "../../config/deliveryConfig";
import { t } from "../localize";
import { CUSTOM_SERVICE } from "../../config/emailService";
import { emailServiceOptions } from "./emailServiceOptions";

/** Saved before the Delivery field existed, a node has no value for it: SMTP, so "not Graph" rather than "SMTP". */
const whenSmtp: TNodeFieldCondition = { key: "delivery", value: "graph", negate: true };
const whenGraph: TNodeFieldCondition = { key: "delivery", value: "graph" };
const whenCustom: TNodeFieldCondition = { and: [whenSmtp, { key: "emailService", value: CUSTOM_SERVICE }] };

/** How the mail leaves, and for SMTP which server to talk to: a well-known service or host, port and security by hand. */
export const serverFields: INodeField[] = [
  {
    key: "delivery",
    type: "select",
    label: t("Delivery", "Zustellung"),
    description: t(
      "SMTP sends through a mail server. Microsoft Graph sends through Microsoft 365 where SMTP AUTH is off; it needs OAuth2 Client Credentials with Mail.Send.",
      "SMTP sendet über einen Mailserver. Microsoft Graph sendet über Microsoft 365, wo SMTP AUTH aus ist; nötig sind OAuth2 Client Credentials mit Mail.Send.",
    ),
    defaultValue: "smtp",
    params: {
      required: true,
      options: [
        { label: t("SMTP", "SMTP"), value: "smtp" },
        { label: t("Microsoft Graph (Microsoft 365)", "Microsoft Graph (Microsoft 365)"), value: "graph" },
      ],
    },
  },
  {
    key: "emailService",
    type: "select",
    label: t("Email Service", "E-Mail-Dienst"),
    description: t(
      "The provider of the mailbox you send from. Choose Other SMTP Service to enter host, port and security yourself.",
      "Der Anbieter des Postfachs, von dem gesendet wird. Wählen Sie Anderer SMTP-Dienst, um Host, Port und Sicherheit selbst einzugeben.",
    ),
    defaultValue: CUSTOM_SERVICE,
    condition: whenSmtp,
    params: {
      required: true,
      // Read by Cognigy when it shows or stores the descriptor, not by a send: built on that first read.
      get options() {
        return emailServiceOptions();
      },
    },
  },
  {
    key: "host",
    type: "cognigyText",
    label: t("SMTP Host", "SMTP-Host"),
    description: t("The SMTP server's host name or IP address, e.g. smtp.example.com.", "Hostname oder IP-Adresse des SMTP-Servers, z. B. smtp.example.com."),
    condition: whenCustom,
    params: { required: true },
  },
  {
    key: "port",
    type: "number",
    label: t("SMTP Port", "SMTP-Port"),
    description: t(
      "Usually 465 for implicit TLS, 587 for STARTTLS, 25 for internal relays. Leave empty to follow the security setting (465 for TLS, 25 for none, else 587).",
      "Meist 465 für implizites TLS, 587 für STARTTLS, 25 für interne Relays. Leer lassen, um der Sicherheitseinstellung zu folgen (465 für TLS, 25 für keine, sonst 587).",
    ),
    condition: whenCustom,
  },
  {
    key: "security",
    type: "select",
    label: t("Connection Security", "Verbindungssicherheit"),
    description: t(
      "Automatic: TLS on 465, else STARTTLS (required with a login). TLS: encrypted from the first byte (465). STARTTLS: upgrade required (587). None: clear text, internal relays only.",
      "Automatisch: TLS bei 465, sonst STARTTLS (Pflicht mit Login). TLS: verschlüsselt ab dem ersten Byte (465). STARTTLS: Upgrade Pflicht (587). Keine: Klartext, nur interne Relays.",
    ),
    defaultValue: "auto",
    condition: whenCustom,
    params: {
      options: [
        { label: t("Automatic (from the port)", "Automatisch (nach Port)"), value: "auto" },
        { label: t("TLS (implicit, port 465)", "TLS (implizit, Port 465)"), value: "tls" },
        { label: t("STARTTLS (required, port 587)", "STARTTLS (erforderlich, Port 587)"), value: "starttls" },
        { label: t("None (no encryption)", "Keine (unverschlüsselt)"), value: "none" },
      ],
    },
  },
];

/** Rarely needed knobs for the connection: trust, EHLO name, time limit. */
export const connectionOptionFields: INodeField[] = [
  {
    key: "caCertificate",
    type: "cognigyText",
    label: t("Custom CA Certificate (PEM)", "Eigenes CA-Zertifikat (PEM)"),
    description: t(
      "Trust a server whose certificate is signed by your own certificate authority. Paste the CA certificate in PEM format (-----BEGIN CERTIFICATE-----).",
      "Vertraut einem Server, dessen Zertifikat von Ihrer eigenen Zertifizierungsstelle signiert ist. Fügen Sie das CA-Zertifikat im PEM-Format ein.",
    ),
    condition: whenSmtp,
    params: { multiline: true },
  },
  {
    key: "allowInvalidCertificates",
    type: "toggle",
    label: t("Allow Invalid Certificates (insecure)", "Ungültige Zertifikate erlauben (unsicher)"),
    description: t(
      "Accept any server certificate, even self-signed or expired ones. Anyone on the network path could read your mail and password. Prefer a custom CA certificate.",
      "Akzeptiert jedes Serverzertifikat, auch selbstsignierte oder abgelaufene. Jeder auf dem Netzwerkweg könnte E-Mail und Passwort mitlesen. Besser ein eigenes CA-Zertifikat verwenden.",
    ),
    defaultValue: false,
    condition: whenSmtp,
  },
  {
    key: "clientName",
    type: "cognigyText",
    label: t("Client Host Name (EHLO)", "Client-Hostname (EHLO)"),
    description: t(
      "The name this node announces to the server. Set it when the server rejects the default because containers often have no fully qualified host name.",
      "Der Name, mit dem sich der Knoten beim Server meldet. Setzen Sie ihn, wenn der Server den Standardnamen ablehnt, da Container oft keinen vollständigen Hostnamen haben.",
    ),
    condition: whenSmtp,
  },
  {
    key: "graphEndpoint",
    type: "cognigyText",
    label: t("Graph Endpoint", "Graph-Endpunkt"),
    description: t(
      "https://graph.microsoft.com, or a national cloud's: graph.microsoft.us, dod-graph.microsoft.us, microsoftgraph.chinacloudapi.cn. Use that cloud's token host too.",
      "https://graph.microsoft.com oder der einer nationalen Cloud: graph.microsoft.us, dod-graph.microsoft.us, microsoftgraph.chinacloudapi.cn. Dazu deren Token-Host.",
    ),
    defaultValue: DEFAULT_GRAPH_ENDPOINT,
    condition: whenGraph,
  },
  {
    key: "timeoutSeconds",
    type: "number",
    label: t("Total Timeout (seconds)", "Gesamt-Timeout (Sekunden)"),
    description: t(
      "The whole send, including fetching tokens and attachments, is aborted after this many seconds. Keep it below 20, Cognigy's limit for an extension node.",
      "Der gesamte Versand inklusive Token- und Anhangsabruf wird nach so vielen Sekunden abgebrochen. Unter 20 halten, dem Limit von Cognigy für Extension-Knoten.",
    ),
    defaultValue: 15,
    params: { min: 1, max: 19 },
  },
];
