import type Mail from "nodemailer/lib/mailer";
import { parseSendSmtpEmailConfig } from "../../../src/config/sendSmtpEmailConfig";
import type { TransportConfig } from "../../../src/config/transportConfig";
import { createDeadline, type Deadline } from "../../../src/deadline/deadline";
import { testCa } from "../../support/tlsFixtures";

/** The test CA as the node's Custom CA Certificate field holds it: PEM text. */
export const TEST_CA_PEM = testCa.toString("utf8");

/** A TransportConfig the way the node gets it: raw node config through the real zod parser. */
export function transportConfig(raw: Record<string, unknown>): TransportConfig {
  return parseSendSmtpEmailConfig({ to: "bob@example.com", subject: "s", ...raw }).transport;
}

/** Runs `run` with a fresh deadline of `ms` and disposes it afterwards. */
export async function withDeadline<T>(ms: number, run: (deadline: Deadline) => Promise<T>): Promise<T> {
  const deadline = createDeadline(ms);
  try {
    return await run(deadline);
  } finally {
    deadline.dispose();
  }
}

export function message(subject: string, extra: Partial<Mail.Options> = {}): Mail.Options {
  return { from: "alice@example.com", to: "bob@example.com", subject, text: `Body of ${subject}`, ...extra };
}

export { rejectionOf } from "../../support/smtpEmailErrors";

/** Polls until `condition` holds, for effects that follow a send asynchronously (sockets closing). */
export async function eventually(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
