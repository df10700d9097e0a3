import { createNodeDescriptor, type INodeFunctionBaseParams } from "@cognigy/extension-tools";
import { advancedAttachmentFields, attachmentFields } from "./fields/attachmentFields";
import { authenticationSection, connectionFields, connectionOptionsFields, connectionOptionsSection, emailServiceSection, storageAndErrorsSection } from "./fields/connectionSections";
import { stopOnErrorField } from "./fields/errorHandlingFields";
import { advancedMessageFields, messageFields } from "./fields/messageFields";
import { storageFields } from "./fields/storageFields";
import { threadingAndInviteFields } from "./fields/threadingAndInviteFields";
import { t } from "./localize";

/** The send, loaded by the first execution and kept for the next ones. */
let run: typeof import("../execution/runSendSmtpEmail").runSendSmtpEmail | undefined;

const keys = (fields: Array<{ key: string }>) => fields.map((field) => field.key);

export const sendSmtpEmailNode = createNodeDescriptor({
  type: "sendSmtpEmail",
  defaultLabel: t("Send SMTP Email", "SMTP-E-Mail senden"),
  summary: t("Sends an email through an SMTP server", "Sendet eine E-Mail über einen SMTP-Server"),
  preview: { key: "to", type: "text" },
  tags: ["service", "message", "email"],
  fields: [
    ...connectionFields,
    ...messageFields,
    ...attachmentFields,
    ...advancedMessageFields,
    ...threadingAndInviteFields,
    ...advancedAttachmentFields,
    ...connectionOptionsFields,
    ...storageFields({ locations: ["none", "input", "context"], defaultLocation: "none", defaultKey: "smtpResult" }),
    stopOnErrorField,
  ],
  sections: [
    emailServiceSection,
    authenticationSection,
    { key: "attachments", label: t("Attachments", "Anhänge"), defaultCollapsed: true, fields: keys(attachmentFields) },
    {
      key: "advanced",
      label: t("Advanced", "Erweitert"),
      defaultCollapsed: true,
      fields: [...keys(advancedMessageFields), ...keys(threadingAndInviteFields), ...keys(advancedAttachmentFields)],
    },
    connectionOptionsSection,
    storageAndErrorsSection,
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
  // The work is loaded on first execution: Cognigy loads every extension's descriptors at start-up.
  function: async ({ cognigy, config }: INodeFunctionBaseParams) => {
    run ??= (await import("../execution/runSendSmtpEmail")).runSendSmtpEmail;
    await run(cognigy.api, config);
  },
});
