/**
 * What the benchmarks share: the result shape, interleaved rounds, the node's raw config and the
 * raw-nodemailer settings that mirror the node's pooled transport.
 */
import type { SMTPPoolOptions } from "nodemailer/lib/smtp-pool";
import type { SMTPTransportOptions } from "nodemailer/lib/smtp-transport";
import { runSendSmtpEmail } from "../src/execution/runSendSmtpEmail";
import type { SendResult } from "../src/result/sendResult";
import { cognigyApiStandIn } from "../test/support/cognigyApiStandIn";
import type { SmtpTestServer } from "../test/support/smtpTestServer";
import { testCa } from "../test/support/tlsFixtures";
import { MODULE, ensureBuild } from "./build";
import { elapsedMs } from "./stats";

/** One row of the final table. `met` undefined: reported only, no target. */
export interface Figure {
  name: string;
  measured: string;
  target: string;
  met?: boolean;
}

export interface BenchResult {
  title: string;
  figures: Figure[];
  /** Extra lines for RESULTS.md: raw samples, spreads, how it was measured. */
  details: string[];
  /** Markdown blocks (tables) for RESULTS.md, after the details. */
  blocks?: string[];
}

export const MAILBOX = "bench@bench.example";
/** A second login on the same server: its own pooled transport in the node's cache (one per server and login). */
export const MAILBOX_2 = "bench2@bench.example";
export const PASSWORD = "bench-password";
export const USERS = { [MAILBOX]: PASSWORD, [MAILBOX_2]: PASSWORD };
export const RECIPIENT = "rcpt@bench.example";

/** A typical notification: a few paragraphs, a link, a list. The node derives the text part from it. */
export const HTML_BODY = [
  "<h1>Your booking is confirmed</h1>",
  "<p>Hello Jane,</p>",
  "<p>thank you for your booking. Your reference is <b>BK-20481</b>. You can manage it at",
  '<a href="https://example.com/bookings/BK-20481">https://example.com/bookings/BK-20481</a>.</p>',
  "<ul><li>Flight LX 318, 12 Dec, seat 12A</li><li>Hotel Alpenblick, 2 nights</li><li>Rail pass, 2nd class</li></ul>",
  "<p>Kind regards,<br>The booking team</p>",
].join("\n");

/** Raw Send SMTP Email node config for Basic Auth against one of the harness servers; `extra` overrides fields. */
export function nodeConfig(server: ServerAddress, subject: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    emailService: "custom",
    host: server.host,
    port: server.port,
    security: server.security,
    ...(server.security === "tls" && { caCertificate: testCa.toString("utf8") }),
    authMethod: "basic",
    basicConnection: { username: MAILBOX, password: PASSWORD },
    to: RECIPIENT,
    subject,
    content: HTML_BODY,
    storeLocation: "input",
    inputKey: "smtpResult",
    ...extra,
  };
}

/** Where a harness server listens; all raw-nodemailer settings need. */
export type ServerAddress = Pick<SmtpTestServer, "host" | "port" | "security">;

/** Connection settings for raw nodemailer, matching what the node uses (src/delivery/smtp/transportPlan.ts). */
function rawConnection(server: ServerAddress): SMTPTransportOptions {
  return {
    host: server.host,
    port: server.port,
    secure: server.security === "tls",
    requireTLS: server.security === "starttls",
    ignoreTLS: server.security === "none",
    tls: { rejectUnauthorized: true, minVersion: "TLSv1.2", ...(server.security !== "none" && { ca: testCa }) },
    auth: { user: MAILBOX, pass: PASSWORD },
    forceAuth: true,
    socketTimeout: 70_000,
    socketCloseTimeout: 1_000,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  };
}

/** The node's pooled-transport settings (maxConnections 3, maxMessages 100, idle 60 s), for raw nodemailer. */
export function rawPoolOptions(server: ServerAddress): SMTPPoolOptions & { pool: true } {
  return { ...rawConnection(server), pool: true, maxConnections: 3, maxMessages: 100, maxRequeues: 2, idleTimeout: 60_000 };
}

/** The same connection, unpooled: what an extension that creates a transport per send uses. */
export function rawSingleOptions(server: ServerAddress): SMTPTransportOptions {
  return rawConnection(server);
}

/** A Cognigy stand-in plus a send that throws unless the node reports success. */
export function nodeSender() {
  const cognigy = cognigyApiStandIn();
  return {
    cognigy,
    async send(config: Record<string, unknown>): Promise<Extract<SendResult, { success: true }>> {
      const result = await runSendSmtpEmail(cognigy.api, config);
      if (!result.success) throw new Error(`node send failed: ${result.error.code}: ${result.error.message}`);
      // The stand-in records every call; a benchmark of thousands of sends need not keep them.
      cognigy.calls.length = 0;
      return result;
    },
  };
}

/** The part of build/module.js's export a benchmark drives: the node descriptors' functions. */
interface BuiltExtension {
  nodes: Array<{ type: string; function: (params: { cognigy: { api: unknown }; config: Record<string, unknown>; childConfigs: unknown[]; nodeId: string }) => Promise<void> }>;
}

/**
 * The Send SMTP Email node as Cognigy runs it: build/module.js (bundled from the current src/ once per
 * bench run), its descriptor's function, a Cognigy stand-in. What the speed figures compare with raw
 * nodemailer: the shipped code, without the on-the-fly TypeScript transform the bench itself runs under.
 * The config must store the result in the Input key smtpResult (nodeConfig does).
 */
export function builtNodeSender() {
  const build = ensureBuild();
  if (!build.ok) throw new Error(build.note);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built CommonJS module, loaded as Cognigy loads it
  const extension = (require(MODULE) as { default: BuiltExtension }).default;
  const node = extension.nodes.find((descriptor) => descriptor.type === "sendSmtpEmail");
  if (!node) throw new Error("build/module.js has no sendSmtpEmail node");
  const cognigy = cognigyApiStandIn();
  return {
    async send(config: Record<string, unknown>): Promise<Extract<SendResult, { success: true }>> {
      await node.function({ cognigy: { api: cognigy.api }, config, childConfigs: [], nodeId: "bench" });
      const result = cognigy.input.smtpResult as SendResult | undefined;
      if (!result?.success) throw new Error(`node send failed: ${result ? `${result.error.code}: ${result.error.message}` : "no result stored"}`);
      // The stand-in records every call; a benchmark of thousands of sends need not keep them.
      cognigy.calls.length = 0;
      return result;
    },
  };
}

export interface Variant {
  name: string;
  /** Runs one measurement and returns its figure (e.g. ms per message or messages per second). */
  run: () => Promise<number>;
}

/**
 * Runs every variant once per round, side by side, so drift (CPU frequency, GC, other load) hits all
 * of them alike. The order rotates each round (AB, BA, AB, ... for two variants) so neither always
 * goes first. Stops after `rounds` rounds, or earlier once `budgetMs` is spent (never before `minRounds`).
 */
export async function interleave(variants: readonly Variant[], options: { rounds: number; budgetMs: number; minRounds?: number }): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(variants.map((variant) => [variant.name, []]));
  const started = process.hrtime.bigint();
  const minRounds = options.minRounds ?? 3;
  for (let round = 0; round < options.rounds; round++) {
    if (round >= minRounds && elapsedMs(started) > options.budgetMs) break;
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(round + i) % variants.length]!;
      samples.get(variant.name)!.push(await variant.run());
    }
  }
  return samples;
}

/** Fails loudly when the server did not get what was sent. */
export async function expectDelivered(server: SmtpTestServer, count: number): Promise<void> {
  await server.waitForMessages(count, 10_000);
  if (server.messages.length !== count) throw new Error(`expected ${count} messages on the server, got ${server.messages.length}`);
}
