/**
 * One memory measurement in a fresh process (started by bench/memory.ts): one send with a large
 * attachment through the Send SMTP Email node, with the process's RSS sampled every 2 ms from a worker
 * thread (which keeps sampling while the main thread is busy in synchronous code, e.g. Base64 decoding).
 * Mode "raw" is the reference: raw pooled nodemailer sending a Buffer that already exists at the baseline.
 *
 *   node --expose-gc --import tsx bench/memory-child.ts '{"mode":"url","smtpPort":…,"bigUrl":…,"smallUrl":…,"sizeBytes":…}'
 *
 * Prints one JSON line: baseline RSS (idle, warmed up, after GC, Base64 string already built), peak RSS
 * from sampling and from the kernel's high-water mark (VmHWM, reset at the baseline), and the result.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import net from "node:net";
import nodemailer from "nodemailer";
import { runSendSmtpEmail } from "../src/execution/runSendSmtpEmail";
import type { SendResult } from "../src/result/sendResult";
import { closeAllTransports } from "../src/delivery";
import { MAILBOX, PASSWORD, RECIPIENT, rawPoolOptions } from "./harness";

export type MemoryMode = "url" | "base64" | "raw";

export interface MemoryChildArgs {
  mode: MemoryMode;
  smtpPort: number;
  bigUrl: string;
  smallUrl: string;
  sizeBytes: number;
  maxAttachmentSizeMb: number;
}

export interface MemoryChildResult {
  mode: MemoryMode;
  baselineRss: number;
  peakSampledRss: number;
  /** From /proc/self/status VmHWM after resetting it at the baseline; undefined where unsupported. */
  peakHwmRss?: number;
  samples: number;
  success: boolean;
  error?: string;
  sendMs: number;
}

const SAMPLER = `
const { parentPort } = require("node:worker_threads");
let peak = 0, samples = 0, timer;
const sample = () => { const rss = process.memoryUsage.rss(); samples++; if (rss > peak) peak = rss; };
parentPort.on("message", (message) => {
  if (message === "start") { peak = 0; samples = 0; sample(); timer = setInterval(sample, 2); parentPort.postMessage({ started: true }); }
  if (message === "stop") { clearInterval(timer); sample(); parentPort.postMessage({ peak, samples }); }
});`;

function ask<T>(worker: Worker, message: string): Promise<T> {
  return new Promise((resolve) => {
    worker.once("message", (reply: T) => resolve(reply));
    worker.postMessage(message);
  });
}

/** Resets the kernel's peak-RSS counter to the current RSS (Linux 4.0+); false where that is not possible. */
function resetHighWaterMark(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

function highWaterMark(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  gc();
  gc();
}

async function main(): Promise<MemoryChildResult> {
  const args = JSON.parse(process.argv[2] ?? "{}") as MemoryChildArgs;
  const sampler = new Worker(SAMPLER, { eval: true });
  const api = { log: () => undefined, addToInput: () => undefined, addToContext: () => undefined, stopExecution: () => undefined };
  const base = {
    emailService: "custom",
    host: "127.0.0.1",
    port: args.smtpPort,
    security: "none",
    authMethod: "basic",
    basicConnection: { username: MAILBOX, password: PASSWORD },
    to: RECIPIENT,
    subject: "Bench: memory",
    content: "<p>The file is attached.</p>",
    maxAttachmentSizeMb: args.maxAttachmentSizeMb,
    allowPrivateNetworkUrls: true,
    timeoutSeconds: 60,
  };
  // The file server is on loopback, which flows can never reach: only code can trust it.
  const trustedAddresses = new net.BlockList();
  trustedAddresses.addAddress("127.0.0.1");
  const seams = { trustedAddresses };
  const attachment = (big: boolean): Record<string, unknown> =>
    args.mode === "url"
      ? { attachmentType: "url", attachmentUrl: big ? args.bigUrl : args.smallUrl, attachmentFileName: "file.bin" }
      : { attachmentType: "base64", attachmentBase64: randomBytes(big ? args.sizeBytes : 1024).toString("base64"), attachmentFileName: "file.bin" };

  const raw = nodemailer.createTransport(rawPoolOptions({ host: "127.0.0.1", port: args.smtpPort, security: "none" }));
  const rawSend = async (content: Buffer): Promise<SendResult> => {
    const info = await raw.sendMail({ from: MAILBOX, to: RECIPIENT, subject: "Bench: memory", html: base.content, attachments: [{ filename: "file.bin", content }] });
    return { success: true, transport: "smtp", messageId: String(info.messageId), accepted: [], rejected: [], response: String(info.response), envelope: { from: MAILBOX, to: [RECIPIENT] }, durationMs: 0 };
  };

  // Warm up with a small attachment of the same kind: every module and code path is loaded, the pooled connection is open.
  // The node's first send to a server goes out on a session of its own (a cold send); the second opens the pool.
  for (let i = 0; i < (args.mode === "raw" ? 1 : 2); i++) {
    const warmUp = args.mode === "raw" ? await rawSend(randomBytes(1024)) : await runSendSmtpEmail(api, { ...base, ...attachment(false) }, seams);
    if (!warmUp.success) throw new Error(`warm-up send failed: ${warmUp.error.message}`);
  }
  // For Base64 the config (with its string) exists before the baseline, as it does before a node runs; for raw, the Buffer.
  const config = args.mode === "raw" ? {} : { ...base, ...attachment(true) };
  const rawContent = args.mode === "raw" ? randomBytes(args.sizeBytes) : undefined;
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 200));
  collectGarbage();

  const hwmReset = resetHighWaterMark();
  const baselineRss = process.memoryUsage.rss();
  await ask(sampler, "start");
  const start = process.hrtime.bigint();
  const result = rawContent ? await rawSend(rawContent) : await runSendSmtpEmail(api, config, seams);
  const sendMs = Number(process.hrtime.bigint() - start) / 1e6;
  const { peak, samples } = await ask<{ peak: number; samples: number }>(sampler, "stop");
  const peakHwmRss = hwmReset ? highWaterMark() : undefined;
  raw.close();
  await closeAllTransports();
  await sampler.terminate();
  return {
    mode: args.mode,
    baselineRss,
    peakSampledRss: peak,
    ...(peakHwmRss !== undefined && { peakHwmRss }),
    samples,
    success: result.success,
    ...(!result.success && { error: result.error.message }),
    sendMs,
  };
}

main().then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
