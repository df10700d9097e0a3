/**
 * One execution of Send SMTP Email in a fresh process, as a runtime that starts a process per
 * execution does it: reads the raw node config from the SMTP_EMAIL_CONFIG environment variable,
 * runs the node, prints the stored result as one JSON line, and then does nothing more. The
 * process must exit by itself: nothing of ours may keep it alive.
 */
import { runSendSmtpEmail } from "../../../src/execution/runSendSmtpEmail";
import type { CognigyApi } from "../../../src/execution/cognigyApi";
import { trustLoopback } from "../../support/trustLoopback";

const stored: Record<string, unknown> = {};
const api: CognigyApi = {
  addToInput: (key, value) => {
    stored[key] = value;
  },
  addToContext: (key, value) => {
    stored[key] = value;
  },
  log: () => undefined,
};

// The test file server is on loopback, which only code (never config) may trust.
void runSendSmtpEmail(api, JSON.parse(process.env.SMTP_EMAIL_CONFIG ?? "{}"), trustLoopback).then((result) => {
  process.stdout.write(`${JSON.stringify({ success: result.success, ...(result.success ? { messageId: result.messageId } : { error: result.error }) })}\n`);
});
