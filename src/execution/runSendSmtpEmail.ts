import type { CognigyApi } from "./cognigyApi";

/** Sends one mail as configured on a Send SMTP Email node. */
export async function runSendSmtpEmail(api: CognigyApi, _rawConfig: unknown): Promise<void> {
  api.log?.("error", "Send SMTP Email: sending is not implemented yet in this version of the extension.");
  throw new Error("Send SMTP Email is not implemented yet.");
}
