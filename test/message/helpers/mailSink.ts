import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import type { Deadline } from "../../../src/deadline/deadline";
import { parseMessage, type ParsedMessage } from "../../support/parseMessage";
import { testDeadline } from "./deadline";
import { startSmtpTestServer, type ReceivedMessage, type SmtpTestServer, type SmtpTestServerOptions } from "../../support/smtpTestServer";

export interface Delivered {
  received: ReceivedMessage;
  parsed: ParsedMessage;
  /** The raw message as text (it is 7-bit, so latin1 is lossless). */
  rawText: string;
}

/**
 * A real SMTP server plus a plain nodemailer transport pointed at it: what the tests send goes
 * through an actual SMTP session and comes back parsed by postal-mime.
 */
export interface MailSink {
  server: SmtpTestServer;
  send(options: Mail.Options): Promise<Delivered>;
  close(): Promise<void>;
}

/**
 * A mail sink and a generous deadline for the enclosing describe block (or file), started in beforeAll
 * and closed in afterAll: `const env = useMailSink(); ... env.sink.send(...)`.
 */
export function useMailSink(deadlineMs = 120_000): { readonly sink: MailSink; readonly deadline: Deadline } {
  let started: { sink: MailSink; deadline: Deadline } | undefined;
  beforeAll(async () => {
    started = { sink: await startMailSink(), deadline: testDeadline(deadlineMs) };
  });
  afterAll(async () => {
    started?.deadline.dispose();
    await started?.sink.close();
  });
  const get = () => {
    if (!started) throw new Error("the mail sink starts in beforeAll");
    return started;
  };
  return {
    get sink() {
      return get().sink;
    },
    get deadline() {
      return get().deadline;
    },
  };
}

export async function startMailSink(options: SmtpTestServerOptions = {}): Promise<MailSink> {
  // strictUtf8Addresses off: smtp-server turns a punycode domain (joerg@xn--bcher-kva.de) back into
  // Unicode before the harness's strict check sees it, which would refuse a correctly punycoded
  // ASCII RCPT TO. The tests check the RCPT TO lines on the wire instead.
  const server = await startSmtpTestServer({ security: "none", strictUtf8Addresses: false, ...options });
  // Pooled with one connection: the property tests send dozens of mails; one session is faster.
  const transport = nodemailer.createTransport({
    host: server.host,
    port: server.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 1,
  });
  // The tests send one mail at a time, so a queue keeps "the next message" unambiguous.
  let queue: Promise<unknown> = Promise.resolve();
  const sendOne = async (options: Mail.Options): Promise<Delivered> => {
    const before = server.messages.length;
    await transport.sendMail(options);
    const messages = await server.waitForMessages(before + 1, 10_000);
    const received = messages[before];
    if (!received) throw new Error("the SMTP test server received nothing");
    return { received, parsed: await parseMessage(received.raw), rawText: received.raw.toString("latin1") };
  };
  return {
    server,
    send(options) {
      const result = queue.then(() => sendOne(options));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      transport.close();
      await server.close();
    },
  };
}

/** The header block of a raw message (everything before the first blank line), unfolded. */
export function topLevelHeaders(rawText: string): string[] {
  const end = rawText.indexOf("\r\n\r\n");
  return rawText
    .slice(0, end < 0 ? rawText.length : end)
    .replace(/\r\n[ \t]/g, " ")
    .split("\r\n");
}

/** Every header line of every part (lines that start a header field anywhere in the message), unfolded. */
export function allHeaderNames(rawText: string): string[] {
  const names: string[] = [];
  // Header blocks: the top one and each one after a boundary line.
  const blocks = rawText.split(/\r\n--[^\r\n]+\r\n/);
  for (const block of blocks) {
    const end = block.indexOf("\r\n\r\n");
    if (end < 0) continue;
    for (const line of block.slice(0, end).replace(/\r\n[ \t]/g, " ").split("\r\n")) {
      const match = /^([^:\s]+):/.exec(line);
      if (match?.[1]) names.push(match[1].toLowerCase());
    }
  }
  return names;
}
