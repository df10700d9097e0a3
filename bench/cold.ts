/**
 * 7. Cold execution: a fresh `node` process per send, as a runtime that isolates each execution does it.
 * The child (bench/cold-child.cjs, plain Node) requires build/module.js, runs one Send SMTP Email with
 * Basic Auth over STARTTLS against the SMTP server in this process, and prints the stored result;
 * the reference child does the same send with nodemailer alone and closes its transport.
 *
 * Two figures per variant, from spawn: time to the result line on stdout, and time to process exit.
 * A child still alive 10 s after spawn, or 1.5 s after its result, is killed and reported as "did not exit by itself".
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { startSmtpTestServer, type SmtpTestServer } from "../test/support/smtpTestServer";
import { TLS_FIXTURES_DIR } from "../test/support/tlsFixtures";
import { ensureBuild, MODULE, ROOT, childEnv } from "./build";
import { HTML_BODY, MAILBOX, PASSWORD, RECIPIENT, USERS, type BenchResult, type Figure } from "./harness";
import { elapsedMs, fmt, fmtMs, fmtRange, fmtRatio, median } from "./stats";

const CHILD = path.join(__dirname, "cold-child.cjs");
const ROUNDS = 10;
const BUDGET_MS = 40_000;
const CHILD_CAP_MS = 10_000;
/** A child that has printed its result gets this long to exit before it is killed (it should need milliseconds). */
const AFTER_RESULT_CAP_MS = 1_500;
const TARGET_RATIO = 1.2;
const TEXT_BODY = "Your booking is confirmed. Reference BK-20481.";

type Mode = "node" | "raw";

interface ColdRun {
  /** Spawn to the result line; undefined when none came. */
  resultMs?: number;
  /** CPU time (user + system) the child had used when it printed its result. */
  cpuMs?: number;
  /** Spawn to exit; undefined when the child was killed at the cap. */
  exitMs?: number;
  success: boolean;
  error?: string;
}

const LABELS: Record<Mode, string> = {
  node: "node (fresh process: require build/module.js, one send)",
  raw: "raw nodemailer script (fresh process, one send, close)",
};

export async function cold(): Promise<BenchResult> {
  const details: string[] = [];
  const build = ensureBuild();
  details.push(build.note);
  if (!build.ok) {
    return { title: "7. Cold execution", figures: [{ name: "cold execution", measured: "n/a (no build)", target: `≤ ${TARGET_RATIO}×`, met: false }], details };
  }
  const server = await startSmtpTestServer({ security: "starttls", auth: { users: USERS, methods: ["PLAIN", "LOGIN"] } });
  try {
    const runs: Record<Mode, ColdRun[]> = { node: [], raw: [] };
    const modes: Mode[] = ["node", "raw"];
    // Warm the file system cache for both, unmeasured.
    for (const mode of modes) await runChild(mode, server, "warm-up");
    let delivered = 2;
    const started = process.hrtime.bigint();
    for (let round = 0; round < ROUNDS; round++) {
      if (round >= 4 && elapsedMs(started) > BUDGET_MS) break;
      for (let i = 0; i < modes.length; i++) {
        const mode = modes[(round + i) % modes.length]!;
        const subject = `Bench: cold ${mode} ${round}`;
        const run = await runChild(mode, server, subject);
        if (!run.success) throw new Error(`cold child (${mode}) failed: ${run.error ?? "no result"}`);
        delivered++;
        await server.waitForMessages(delivered, 5_000);
        runs[mode].push(run);
      }
    }
    return { title: "7. Cold execution (fresh process per send, Basic Auth over STARTTLS)", figures: figuresOf(runs, details), details };
  } finally {
    await server.close();
  }
}

function figuresOf(runs: Record<Mode, ColdRun[]>, details: string[]): Figure[] {
  const rounds = runs.raw.length;
  const resultMs = (mode: Mode) => runs[mode].map((run) => run.resultMs ?? Number.NaN);
  const exited = (mode: Mode) => runs[mode].filter((run) => run.exitMs !== undefined).map((run) => run.exitMs!);
  const stuck = (mode: Mode) => runs[mode].length - exited(mode).length;
  details.push(
    `${rounds} interleaved rounds (order rotating) after one unmeasured warm-up each; every child is a plain \`node\` process (no tsx), the SMTP server (STARTTLS, AUTH PLAIN/LOGIN, its usual 100 ms wait before the greeting) runs in the bench process.`,
    `Both send the same HTML + text message to one recipient; a child still running ${CHILD_CAP_MS / 1000} s after spawn, or ${AFTER_RESULT_CAP_MS / 1000} s after its result, is killed and counted as "did not exit by itself".`,
  );
  const figures: Figure[] = [];
  for (const mode of ["node", "raw"] as const) {
    const label = LABELS[mode];
    const exits = exited(mode);
    figures.push({ name: `${label}: spawn to result`, measured: fmtMs(median(resultMs(mode)), 1), target: "" });
    figures.push({
      name: `${label}: spawn to exit`,
      measured: stuck(mode) === 0 ? fmtMs(median(exits), 1) : `did not exit by itself (${stuck(mode)}/${runs[mode].length} killed)`,
      target: "exits by itself",
      met: stuck(mode) === 0,
    });
    details.push(
      `${label}: spawn to result ${resultMs(mode).map((v) => fmt(v, 0)).join(", ")} ms (median ${fmt(median(resultMs(mode)), 1)}, range ${fmtRange(resultMs(mode), 0)}); ` +
        `spawn to exit ${runs[mode].map((run) => (run.exitMs === undefined ? "killed" : fmt(run.exitMs, 0))).join(", ")} ms.`,
    );
  }
  const resultRatio = median(resultMs("node")) / median(resultMs("raw"));
  figures.push({ name: "cold ratio, node / raw, spawn to result", measured: fmtRatio(resultRatio), target: `≤ ${TARGET_RATIO}×`, met: resultRatio <= TARGET_RATIO });
  if (stuck("node") === 0 && stuck("raw") === 0) {
    const exitRatio = median(exited("node")) / median(exited("raw"));
    figures.push({ name: "cold ratio, node / raw, spawn to exit", measured: fmtRatio(exitRatio), target: `≤ ${TARGET_RATIO}×`, met: exitRatio <= TARGET_RATIO });
  } else {
    figures.push({ name: "cold ratio, node / raw, spawn to exit", measured: "n/a (a child did not exit by itself)", target: `≤ ${TARGET_RATIO}×`, met: false });
  }
  const cpuMs = (mode: Mode) => runs[mode].map((run) => run.cpuMs ?? Number.NaN);
  const cpuRatio = median(cpuMs("node")) / median(cpuMs("raw"));
  figures.push({ name: "CPU ratio, node / raw, process start to result", measured: fmtRatio(cpuRatio), target: "" });
  details.push(
    `CPU time of the child up to its result (user + system, less disturbed by other load than wall time): node ${cpuMs("node").map((v) => fmt(v, 0)).join(", ")} ms (median ${fmt(median(cpuMs("node")), 1)}); ` +
      `raw ${cpuMs("raw").map((v) => fmt(v, 0)).join(", ")} ms (median ${fmt(median(cpuMs("raw")), 1)}).`,
  );
  const paired = runs.node.map((run, i) => (run.resultMs ?? Number.NaN) / (runs.raw[i]?.resultMs ?? Number.NaN));
  details.push(`node / raw, spawn to result: ratio of medians ${fmt(resultRatio, 3)}; median of per-round paired ratios ${fmt(median(paired), 3)}.`);
  return figures;
}

function runChild(mode: Mode, server: SmtpTestServer, subject: string): Promise<ColdRun> {
  const settings = {
    module: MODULE,
    nodemailer: require.resolve("nodemailer", { paths: [ROOT] }),
    host: server.host,
    port: server.port,
    user: MAILBOX,
    password: PASSWORD,
    to: RECIPIENT,
    subject,
    html: HTML_BODY,
    text: TEXT_BODY,
  };
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [CHILD, mode], { cwd: ROOT, env: { ...childEnv(), NODE_EXTRA_CA_CERTS: path.join(TLS_FIXTURES_DIR, "ca.pem"), COLD_BENCH: JSON.stringify(settings) }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let resultMs: number | undefined;
    let result: { success?: boolean; error?: { message?: string } } | undefined;
    let killed = false;
    const kill = () => {
      killed = true;
      child.kill("SIGKILL");
    };
    let cap = setTimeout(kill, CHILD_CAP_MS);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const line = /^RESULT (.*)$/m.exec(stdout);
      if (line && resultMs === undefined) {
        resultMs = elapsedMs(start);
        clearTimeout(cap);
        cap = setTimeout(kill, AFTER_RESULT_CAP_MS);
        result = JSON.parse(line[1]!) as typeof result;
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    let exitMs: number | undefined;
    child.on("exit", () => {
      if (!killed) exitMs = elapsedMs(start);
      clearTimeout(cap);
    });
    child.on("close", () => {
      const cpu = /^CPU (\S+)$/m.exec(stdout);
      resolve({ resultMs, exitMs, cpuMs: cpu ? Number(cpu[1]) : undefined, success: result?.success === true, error: result?.error?.message ?? (stderr.trim() || undefined) });
    });
  });
}
