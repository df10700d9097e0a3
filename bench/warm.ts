/**
 * 8. Warm, client alone: the SMTP server runs in a child process (bench/smtp-server-child.ts), so the
 * CPU this process uses is the client's: the node (like for like, and typical) vs raw pooled nodemailer,
 * same pooled settings, plain SMTP + AUTH PLAIN so per-message work is not hidden behind TLS.
 *
 * Figures per variant: client CPU per message (process.cpuUsage over a round of sequential sends) and
 * msgs/s. Then a CPU profile of each variant (node:inspector, in this process) attributes the node's
 * extra microseconds per message to functions.
 */
import { fork, type ChildProcess } from "node:child_process";
import { Session } from "node:inspector";
import path from "node:path";
import nodemailer from "nodemailer";
import { messageIdDomain, messageIdentity } from "../src/message/messageIdentity";
import { htmlToPlainText } from "../src/message/plainText";
import { closeAllTransports } from "../src/delivery";
import type { ServerChildMessage, ServerChildRequest } from "./smtp-server-child";
import { functionOf, inclusiveTimes, packageOf, selfTimes, type CpuProfile } from "./cpuProfile";
import { HTML_BODY, MAILBOX, MAILBOX_2, PASSWORD, RECIPIENT, interleave, builtNodeSender, nodeConfig, rawPoolOptions, type BenchResult, type Figure, type ServerAddress } from "./harness";
import { bootstrapInterval, elapsedMs, fmt, fmtRange, fmtRatio, median, pairedRatios } from "./stats";

/** = maxMessages: every round of every variant includes exactly one reconnect, as sustained sending does. */
const SENDS_PER_ROUND = 100;
/** Enough for V8 to have optimized every variant's hot path before the first measured round. */
const WARM_UP_SENDS = 200;
const ROUNDS = 80;
const BUDGET_MS = 110_000;
const PROFILED_SENDS = 400;
const TARGET_CPU_RATIO = 1.05;
const TARGET_SHARE = 0.9;

const LIKE_FOR_LIKE = "node (like for like)";
const TYPICAL = "node (typical: HTML only)";
const RAW = "raw nodemailer (pooled)";
/** Raw nodemailer handed the Message-ID and boundary the node makes: what is left of the node's own overhead. */
const RAW_SAME_IDS = "raw nodemailer (pooled), given the node's Message-ID and boundary";

interface RoundSample {
  cpuUsPerMessage: number;
  messagesPerSecond: number;
}

export async function warm(): Promise<BenchResult> {
  const server = await startServerChild();
  const address: ServerAddress = { host: "127.0.0.1", port: server.port, security: "none" };
  const raw = nodemailer.createTransport(rawPoolOptions(address));
  const rawSameIds = nodemailer.createTransport(rawPoolOptions(address));
  try {
    const subject = "Bench: warm, server in another process";
    const text = await htmlToPlainText(HTML_BODY);
    const rawMail = { from: MAILBOX, to: RECIPIENT, subject, html: HTML_BODY, text };
    const likeForLike = nodeConfig(address, subject, { text });
    const typical = nodeConfig(address, subject, { basicConnection: { username: MAILBOX_2, password: PASSWORD }, from: MAILBOX });
    const node = builtNodeSender();
    const idDomain = messageIdDomain({ name: "", address: MAILBOX });
    const variants: Record<string, () => Promise<unknown>> = {
      [LIKE_FOR_LIKE]: () => node.send(likeForLike),
      [TYPICAL]: () => node.send(typical),
      [RAW]: () => raw.sendMail(rawMail),
      [RAW_SAME_IDS]: () => rawSameIds.sendMail({ ...rawMail, ...messageIdentity(idDomain) }),
    };
    const samples = new Map<string, RoundSample[]>(Object.keys(variants).map((name) => [name, []]));
    const round = (name: string, send: () => Promise<unknown>) => async (): Promise<number> => {
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      for (let i = 0; i < SENDS_PER_ROUND; i++) await send();
      const used = process.cpuUsage(cpu);
      const sample = { cpuUsPerMessage: (used.user + used.system) / SENDS_PER_ROUND, messagesPerSecond: SENDS_PER_ROUND / (elapsedMs(start) / 1000) };
      samples.get(name)!.push(sample);
      return sample.cpuUsPerMessage;
    };

    for (let i = 0; i < WARM_UP_SENDS; i++) for (const send of Object.values(variants)) await send();
    await interleave(
      Object.entries(variants).map(([name, send]) => ({ name, run: round(name, send) })),
      { rounds: ROUNDS, budgetMs: BUDGET_MS },
    );
    const rounds = samples.get(RAW)!.length;
    const expected = Object.keys(variants).length * (WARM_UP_SENDS + SENDS_PER_ROUND * rounds);
    const delivered = await server.count();
    if (delivered !== expected) throw new Error(`expected ${expected} messages on the server, got ${delivered}`);

    const of = (name: string) => samples.get(name)!;
    const cpu = (name: string) => of(name).map((sample) => sample.cpuUsPerMessage);
    const rate = (name: string) => of(name).map((sample) => sample.messagesPerSecond);
    const figures: Figure[] = [];
    const details = [
      "The node variants run build/module.js (bundled from the current src/ at the start of the run) through the Send SMTP Email descriptor's function: the code Cognigy runs.",
      `SMTP server (plain SMTP, AUTH PLAIN/LOGIN) in a child process; this process runs only the clients. ${rounds} interleaved rounds (order rotating) of ${SENDS_PER_ROUND} sequential sends per variant, after ${WARM_UP_SENDS} warm-up sends each.`,
      "Client CPU per message: process.cpuUsage() (user + system) of this process over the round, divided by the sends; each round of 100 sends includes exactly one reconnect of its pool (maxMessages 100; TCP, the server's 100 ms greeting wait, AUTH), alike for all variants.",
      "All variants: maxConnections 3, maxMessages 100, forceAuth, one pool each, same MIME structure (HTML + text alternative); the typical node config has HTML only and the node derives the text (once per remembered config).",
      `The node hands nodemailer a Message-ID and MIME boundary drawn from Node's cached UUID source (src/message/messageIdentity.ts); raw nodemailer draws its own with eight crypto.randomBytes calls per message. "${RAW_SAME_IDS}" gets the node's values, so the node's ratio to it is the node's own overhead.`,
    ];
    for (const name of Object.keys(variants)) {
      figures.push({ name: `${name}: client CPU per message`, measured: `${fmt(median(cpu(name)), 0)} µs`, target: "" });
      details.push(`${name}: CPU µs/msg per round ${cpu(name).map((v) => fmt(v, 0)).join(", ")} (median ${fmt(median(cpu(name)), 0)}, range ${fmtRange(cpu(name), 0)}); msgs/s ${rate(name).map((v) => fmt(v, 0)).join(", ")} (median ${fmt(median(rate(name)), 1)}).`);
    }
    for (const name of [LIKE_FOR_LIKE, TYPICAL]) {
      const ratio = median(cpu(name)) / median(cpu(RAW));
      figures.push({ name: `client CPU ratio, ${name} / raw`, measured: fmtRatio(ratio), target: `≤ ${TARGET_CPU_RATIO}×`, met: ratio <= TARGET_CPU_RATIO });
    }
    // Each round runs every variant once, back to back: the ratio within a round cancels the drift of
    // other load between rounds. Its median, with a bootstrap interval, shows how far the medians above can be trusted.
    for (const name of [LIKE_FOR_LIKE, TYPICAL]) {
      const paired = pairedRatios(cpu(name), cpu(RAW));
      const [low, high] = bootstrapInterval(paired, median);
      figures.push({
        name: `client CPU ratio, ${name} / raw, median of the ${paired.length} rounds' own ratios (90 % bootstrap interval; for comparison, the target is judged on the medians above)`,
        measured: `${fmtRatio(median(paired))} (${fmtRatio(low)}–${fmtRatio(high)})`,
        target: "",
      });
      details.push(`${name} / raw, per round: ${paired.map((ratio) => fmt(ratio, 3)).join(", ")}.`);
    }
    // Part of the node's saving is nodemailer's own per-message work done more cheaply (its Message-ID and
    // boundary); against raw nodemailer given the same values, what remains is the node's own overhead.
    for (const name of [LIKE_FOR_LIKE, TYPICAL]) {
      figures.push({ name: `client CPU ratio, ${name} / ${RAW_SAME_IDS} (the node's own overhead)`, measured: fmtRatio(median(cpu(name)) / median(cpu(RAW_SAME_IDS))), target: "" });
    }
    for (const name of Object.keys(variants)) figures.push({ name: `${name}: msgs/s`, measured: fmt(median(rate(name)), 1), target: "" });
    for (const name of [LIKE_FOR_LIKE, TYPICAL]) {
      const share = median(rate(name)) / median(rate(RAW));
      figures.push({ name: `msgs/s, ${name} / raw`, measured: `${fmt(share * 100, 1)} %`, target: `≥ ${TARGET_SHARE * 100} %`, met: share >= TARGET_SHARE });
    }

    const blocks = await attribution(variants, details);
    return { title: "8. Warm, client alone (SMTP server in another process, plain SMTP + AUTH PLAIN)", figures, details, blocks };
  } finally {
    raw.close();
    rawSameIds.close();
    await closeAllTransports();
    await server.close();
  }
}

/**
 * Profiles PROFILED_SENDS sends of the node and of raw nodemailer given the node's Message-ID and boundary,
 * and lists where the node spends more time per message: by package, and by function (functions of the
 * node's own code, and library functions the node calls more often than nodemailer does on its own).
 */
async function attribution(variants: Record<string, () => Promise<unknown>>, details: string[]): Promise<string[]> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))));
  try {
    await post("Profiler.enable");
    await post("Profiler.setSamplingInterval", { interval: 100 });
    const perMessage = new Map<string, { byFunction: Map<string, number>; byPackage: Map<string, number>; inclusive: Map<string, number> }>();
    for (const name of [LIKE_FOR_LIKE, RAW_SAME_IDS]) {
      const send = variants[name]!;
      await post("Profiler.start");
      for (let i = 0; i < PROFILED_SENDS; i++) await send();
      const { profile } = await post<{ profile: CpuProfile }>("Profiler.stop");
      const scale = (totals: Map<string, number>) => new Map([...totals].map(([key, ms]) => [key, (ms * 1000) / PROFILED_SENDS]));
      perMessage.set(name, { byFunction: scale(selfTimes(profile, functionOf)), byPackage: scale(selfTimes(profile, packageOf)), inclusive: scale(inclusiveTimes(profile, functionOf)) });
    }
    const node = perMessage.get(LIKE_FOR_LIKE)!;
    const raw = perMessage.get(RAW_SAME_IDS)!;
    const diff = (a: Map<string, number>, b: Map<string, number>) =>
      [...new Set([...a.keys(), ...b.keys()])]
        .filter((key) => key !== "(idle)" && key !== "(idle) ((idle))" && key !== "(program)" && key !== "(program) ((program))")
        .map((key) => ({ key, node: a.get(key) ?? 0, raw: b.get(key) ?? 0 }))
        .map((row) => ({ ...row, extra: row.node - row.raw }))
        .sort((x, y) => y.extra - x.extra);
    const busy = (totals: Map<string, number>) => [...totals].filter(([key]) => !key.startsWith("(idle)") && !key.startsWith("(program)")).reduce((sum, [, us]) => sum + us, 0);
    details.push(
      `Attribution: V8 CPU profile (node:inspector, 100 µs sampling) of ${PROFILED_SENDS} sends of "${LIKE_FOR_LIKE}" and of "${RAW_SAME_IDS}" after the measured rounds; self time per message, node minus raw (raw with the same Message-ID and boundary, so the tables show the node's own extra work). ` +
        `Sampled busy time per message: node ${fmt(busy(node.byPackage), 0)} µs, raw ${fmt(busy(raw.byPackage), 0)} µs (profiling slows both; the shares matter, not the absolute values).`,
    );
    const table = (title: string, rows: ReturnType<typeof diff>, count: number) =>
      [
        `${title}`,
        "",
        "| Where | node µs/msg | raw µs/msg | node − raw |",
        "|---|---|---|---|",
        ...rows.slice(0, count).map((row) => `| ${row.key.replace(/\|/g, "\\|")} | ${fmt(row.node, 1)} | ${fmt(row.raw, 1)} | ${fmt(row.extra, 1)} |`),
      ].join("\n");
    const steps = [...node.inclusive]
      .filter(([key]) => key.includes("(extension: "))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 16);
    const stepTable = [
      "The node's own functions, inclusive time per message (what each step costs with everything it calls; nested steps are counted in their callers too):",
      "",
      "| Function | µs/msg |",
      "|---|---|",
      ...steps.map(([key, us]) => `| ${key.replace(/\|/g, "\\|")} | ${fmt(us, 1)} |`),
    ].join("\n");
    return [
      stepTable,
      table("Extra CPU per message by package (self time; the largest differences):", diff(node.byPackage, raw.byPackage), 12),
      table("Extra CPU per message by function (self time; the largest differences):", diff(node.byFunction, raw.byFunction), 20),
    ];
  } finally {
    session.disconnect();
  }
}

interface ServerChild {
  port: number;
  count(): Promise<number>;
  close(): Promise<void>;
}

function startServerChild(): Promise<ServerChild> {
  const child: ChildProcess = fork(path.join(__dirname, "smtp-server-child.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = <K extends string>(key: K) =>
    new Promise<Extract<ServerChildMessage, Record<K, unknown>>>((resolve, reject) => {
      const onMessage = (message: ServerChildMessage) => {
        if (!(key in message)) return;
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve(message as Extract<ServerChildMessage, Record<K, unknown>>);
      };
      const onExit = (code: number | null) => reject(new Error(`SMTP server child exited (${code}) before answering`));
      child.on("message", onMessage);
      child.once("exit", onExit);
    });
  const request = (what: ServerChildRequest) => child.send(what);
  return next("port").then(({ port }) => ({
    port,
    async count() {
      const answer = next("count");
      request("count");
      return (await answer).count;
    },
    async close() {
      if (!child.connected) return;
      const closed = next("closed");
      request("close");
      await closed.catch(() => undefined);
    },
  }));
}
