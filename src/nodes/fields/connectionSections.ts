import type { INodeSection } from "@cognigy/extension-tools/build/interfaces/descriptor";
import { t } from "../localize";
import { authFields, tokenRequestFields } from "./authFields";
import { stopOnErrorField } from "./errorHandlingFields";
import { connectionOptionFields, serverFields } from "./serverFields";
import { storageSection } from "./storageFields";

const keys = (fields: Array<{ key: string }>) => fields.map((field) => field.key);

/** The sections every node that talks to the SMTP server shares, so Send and Test look alike. */
export const emailServiceSection: INodeSection = { key: "emailService", label: t("Email Service", "E-Mail-Dienst"), defaultCollapsed: false, fields: keys(serverFields) };

export const authenticationSection: INodeSection = {
  key: "authentication",
  label: t("Authentication", "Authentifizierung"),
  defaultCollapsed: false,
  fields: keys(authFields),
};

export const connectionOptionsSection: INodeSection = {
  key: "connectionOptions",
  label: t("Connection Options", "Verbindungsoptionen"),
  defaultCollapsed: true,
  fields: [...keys(connectionOptionFields), ...keys(tokenRequestFields)],
};

export const storageAndErrorsSection: INodeSection = {
  ...storageSection([stopOnErrorField.key]),
  label: t("Result Storage & Error Handling", "Ergebnisspeicherung & Fehlerbehandlung"),
};

/** All fields behind those sections, in their order, for a descriptor's `fields`. */
export const connectionFields = [...serverFields, ...authFields];
export const connectionOptionsFields = [...connectionOptionFields, ...tokenRequestFields];
