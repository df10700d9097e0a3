import { createNodeDescriptor, type INodeFunctionBaseParams } from "@cognigy/extension-tools";
import { authenticationSection, connectionFields, connectionOptionsFields, connectionOptionsSection, emailServiceSection, storageAndErrorsSection } from "./fields/connectionSections";
import { stopOnErrorField } from "./fields/errorHandlingFields";
import { storageFields } from "./fields/storageFields";
import { t } from "./localize";

/** The "Test Connection" button of mail set-up screens, as a node: same server and auth fields, sends nothing. */
export const verifySmtpConnectionNode = createNodeDescriptor({
  type: "verifySmtpConnection",
  defaultLabel: t("Test SMTP Connection", "SMTP-Verbindung testen"),
  summary: t("Connects and logs in to an SMTP server without sending", "Verbindet sich mit einem SMTP-Server und meldet sich an, ohne zu senden"),
  tags: ["service", "email"],
  fields: [
    ...connectionFields,
    ...connectionOptionsFields,
    ...storageFields({ locations: ["none", "input", "context"], defaultLocation: "input", defaultKey: "smtpConnectionTest" }),
    stopOnErrorField,
  ],
  sections: [emailServiceSection, authenticationSection, connectionOptionsSection, storageAndErrorsSection],
  form: [
    { type: "section", key: "emailService" },
    { type: "section", key: "authentication" },
    { type: "section", key: "connectionOptions" },
    { type: "section", key: "storage" },
  ],
  appearance: { color: "#2D6CDF" },
  // The work is loaded on first execution: Cognigy loads every extension's descriptors at start-up.
  function: async ({ cognigy, config }: INodeFunctionBaseParams) => {
    const { runVerifySmtpConnection } = await import("../execution/runVerifySmtpConnection");
    await runVerifySmtpConnection(cognigy.api, config);
  },
});
