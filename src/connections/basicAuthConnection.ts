import type { ConnectionSchema } from "./connectionSchema";

/** Username and password for AUTH PLAIN / LOGIN. Field names are persisted in users' projects. */
export const basicAuthConnection: ConnectionSchema = {
  type: "smtp-basic-auth",
  label: "SMTP Basic Auth (username and password)",
  fields: [{ fieldName: "username" }, { fieldName: "password" }],
};
