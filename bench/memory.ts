/**
 * 5. Memory: peak RSS growth of one send with a 10 MB attachment, from a local HTTP URL and as Base64,
 * each measured in a fresh child process (bench/memory-child.ts) so runs do not pollute each other.
 * Reference: raw pooled nodemailer sending a 10 MB Buffer it already holds (no download, no decoding).
 * The SMTP server and the file server run here in the parent, so their buffers are not counted.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { startSmtpTestServer } from "../test/support/smtpTestServer";
import { USERS, type BenchResult } from "./harness";
import type { MemoryChildArgs, MemoryChildResult, MemoryMode } from "./memory-child";
import { fmt, median } from "./stats";

const SIZE_BYTES = 10 * 1024 * 1024;
const MAX_ATTACHMENT_MB = 11;
const RUNS = 3;
const TARGET_MULTIPLE = 4;
const CHILD_TIMEOUT_MS = 60_000;
const MB = 1024 * 1024;

export async function memory(): Promise<BenchResult> {
  const smtp = await startSmtpTestServer({ security: "none", auth: { users: USERS, methods: ["PLAIN", "LOGIN"] } });
  const files = await startFileServer({ "/big.bin": randomBytes(SIZE_BYTES), "/small.bin": randomBytes(1024) });
  try {
    const modes: MemoryMode[] = ["url", "base64", "raw"];
    const results: Record<MemoryMode, MemoryChildResult[]> = { url: [], base64: [], raw: [] };
    for (let run = 0; run < RUNS; run++) {
      // Rotate which kind goes first, so none always runs on a cooler or warmer machine.
      for (let i = 0; i < modes.length; i++) {
        const mode = modes[(run + i) % modes.length]!;
        smtp.clear();
        const result = await runChild({ mode, smtpPort: smtp.port, bigUrl: `${files.url}/big.bin`, smallUrl: `${files.url}/small.bin`, sizeBytes: SIZE_BYTES, maxAttachmentSizeMb: MAX_ATTACHMENT_MB });
        if (!result.success) throw new Error(`memory child (${mode}) failed to send: ${result.error ?? "unknown error"}`);
        const big = smtp.messages.find((message) => message.raw.length > SIZE_BYTES);
        if (!big) throw new Error(`memory child (${mode}): the server did not receive the 10 MB message`);
        results[mode].push(result);
      }
    }

    const figures: BenchResult["figures"] = [];
    const details = [
      `${RUNS} fresh child processes per kind (order rotating), ${SIZE_BYTES / MB} MiB random attachment, maxAttachmentSizeMb ${MAX_ATTACHMENT_MB}.`,
      "Baseline: RSS of the idle child after a warm-up send with a 1 KB attachment of the same kind and two GCs; for Base64 the config with its ~14 MB string already exists, for the raw reference the 10 MiB Buffer.",
      "Peak: the higher of RSS sampled every 2 ms from a worker thread and the kernel's VmHWM (reset at the baseline); growth = peak − baseline, as a multiple of the attachment size.",
    ];
    const labels: Record<MemoryMode, string> = { url: "node, URL attachment (local HTTP)", base64: "node, Base64 attachment", raw: "reference: raw nodemailer, Buffer attachment" };
    for (const mode of modes) {
      const runs = results[mode];
      const multiples = runs.map((run) => (peakOf(run) - run.baselineRss) / SIZE_BYTES);
      const value = median(multiples);
      const label = labels[mode];
      const measured = `${fmt(value, 2)}× (${fmt(value * (SIZE_BYTES / MB), 1)} MiB)`;
      figures.push(mode === "raw" ? { name: `peak RSS growth, ${label}`, measured, target: "" } : { name: `peak RSS growth, ${label}`, measured, target: `≤ ${TARGET_MULTIPLE}×`, met: value <= TARGET_MULTIPLE });
      details.push(
        `${label}: ${runs
          .map(
            (run, i) =>
              `run ${i + 1}: baseline ${fmt(run.baselineRss / MB, 1)} MiB, peak sampled ${fmt(run.peakSampledRss / MB, 1)} MiB (${run.samples} samples)` +
              `${run.peakHwmRss !== undefined ? `, VmHWM ${fmt(run.peakHwmRss / MB, 1)} MiB` : ""}, growth ${fmt(multiples[i]!, 2)}×, send ${fmt(run.sendMs, 0)} ms`,
          )
          .join("; ")}.`,
      );
    }
    return { title: "5. Memory (one send with a 10 MiB attachment, fresh process each)", figures, details };
  } finally {
    await files.close();
    await smtp.close();
  }
}

function peakOf(run: MemoryChildResult): number {
  return Math.max(run.peakSampledRss, run.peakHwmRss ?? 0);
}

function runChild(args: MemoryChildArgs): Promise<MemoryChildResult> {
  const root = path.resolve(__dirname, "..");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", path.join("bench", "memory-child.ts"), JSON.stringify(args)], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: CHILD_TIMEOUT_MS,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code, signal) => {
      const line = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{")) {
        reject(new Error(`memory child (${args.mode}) exited with ${signal ?? code}: ${stderr.trim().slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line) as MemoryChildResult);
    });
  });
}

interface FileServer {
  url: string;
  close(): Promise<void>;
}

/** Serves fixed bodies on 127.0.0.1 with an OS-chosen port. */
async function startFileServer(bodies: Record<string, Buffer>): Promise<FileServer> {
  const server = http.createServer((req, res) => {
    const body = bodies[req.url ?? ""];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
