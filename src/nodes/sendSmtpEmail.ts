import { createNodeDescriptor, type INodeFunctionBaseParams } from "@cognigy/extension-tools";
import { runSendSmtpEmail } from "../execution/runSendSmtpEmail";
import { advancedAttachmentFields, attachmentFields } from "./fields/attachmentFields";
import { authFields, tokenRequestFields } from "./fields/authFields";
import { stopOnErrorField } from "./fields/errorHandlingFields";
import { advancedMessageFields, messageFields } from "./fields/messageFields";
import { connectionOptionFields, serverFields } from "./fields/serverFields";
import { storageFields, storageSection } from "./fields/storageFields";
import { t } from "./localize";

const keys = (fields: Array<{ key: string }>) => fields.map((field) => field.key);

export const sendSmtpEmailNode = createNodeDescriptor({
  type: "sendSmtpEmail",
  defaultLabel: t("Send SMTP Email", "SMTP-E-Mail senden"),
  summary: t("Sends an email through an SMTP server", "Sendet eine E-Mail über einen SMTP-Server"),
  preview: { key: "to", type: "text" },
  tags: ["service", "message", "email"],
  fields: [
    ...serverFields,
    ...authFields,
    ...messageFields,
    ...attachmentFields,
    ...advancedMessageFields,
    ...advancedAttachmentFields,
    ...connectionOptionFields,
    ...tokenRequestFields,
    ...storageFields({ locations: ["none", "input", "context"], defaultLocation: "none", defaultKey: "smtpResult" }),
    stopOnErrorField,
  ],
  sections: [
    { key: "emailService", label: t("Email Service", "E-Mail-Dienst"), defaultCollapsed: false, fields: keys(serverFields) },
    { key: "authentication", label: t("Authentication", "Authentifizierung"), defaultCollapsed: false, fields: keys(authFields) },
    { key: "attachments", label: t("Attachments", "Anhänge"), defaultCollapsed: true, fields: keys(attachmentFields) },
    {
      key: "advanced",
      label: t("Advanced", "Erweitert"),
      defaultCollapsed: true,
      fields: [...keys(advancedMessageFields), ...keys(advancedAttachmentFields)],
    },
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
    ...keys(messageFields).map((key) => ({ type: "field" as const, key })),
    { type: "section", key: "attachments" },
    { type: "section", key: "advanced" },
    { type: "section", key: "connectionOptions" },
    { type: "section", key: "storage" },
  ],
  appearance: { color: "#2D6CDF" },
  function: async ({ cognigy, config }: INodeFunctionBaseParams) => {
    await runSendSmtpEmail(cognigy.api, config);
  },
});
