import { createNodeDescriptor, type INodeFunctionBaseParams } from "@cognigy/extension-tools";
import { runVerifySmtpConnection } from "../execution/runVerifySmtpConnection";
import { authFields, tokenRequestFields } from "./fields/authFields";
import { stopOnErrorField } from "./fields/errorHandlingFields";
import { connectionOptionFields, serverFields } from "./fields/serverFields";
import { storageFields, storageSection } from "./fields/storageFields";
import { t } from "./localize";

const keys = (fields: Array<{ key: string }>) => fields.map((field) => field.key);

/** The "Test Connection" button of mail set-up screens, as a node: same server and auth fields, sends nothing. */
export const verifySmtpConnectionNode = createNodeDescriptor({
  type: "verifySmtpConnection",
  defaultLabel: t("Test SMTP Connection", "SMTP-Verbindung testen"),
  summary: t("Connects and logs in to an SMTP server without sending", "Verbindet sich mit einem SMTP-Server und meldet sich an, ohne zu senden"),
  tags: ["service", "email"],
  fields: [
    ...serverFields,
    ...authFields,
    ...connectionOptionFields,
    ...tokenRequestFields,
    ...storageFields({ locations: ["none", "input", "context"], defaultLocation: "input", defaultKey: "smtpConnectionTest" }),
    stopOnErrorField,
  ],
  sections: [
    { key: "emailService", label: t("Email Service", "E-Mail-Dienst"), defaultCollapsed: false, fields: keys(serverFields) },
    { key: "authentication", label: t("Authentication", "Authentifizierung"), defaultCollapsed: false, fields: keys(authFields) },
    {
      key: "connectionOptions",
      label: t("Connection Options", "Verbindungsoptionen"),
      defaultCollapsed: true,
      fields: [...keys(connectionOptionFields), ...keys(tokenRequestFields)],
    },
    { ...storageSection([stopOnErrorField.key]), label: t("Result Storage & Error Handling", "Ergebnisspeicherung & Fehlerbehandlung") },
  ],
  form: [
    { type: "section", key: "emailService" },
    { type: "section", key: "authentication" },
    { type: "section", key: "connectionOptions" },
    { type: "section", key: "storage" },
  ],
  appearance: { color: "#2D6CDF" },
  function: async ({ cognigy, config }: INodeFunctionBaseParams) => {
    await runVerifySmtpConnection(cognigy.api, config);
  },
});
