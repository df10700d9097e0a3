/**
 * 7. Cold execution: a fresh `node` process per send, as a runtime that isolates each execution does it.
 * The child (bench/cold-child.cjs, plain Node) requires build/module.js and runs one Send SMTP Email; the
 * raw child does the same work the obvious way with nodemailer alone (token POST, createTransport with
 * `tls.ca`, sendMail with `html` only, close). Four variants, each a pair node vs raw:
 *
 *   (a)   as a flow designer fills the node: HTML only, Custom CA Certificate, Basic Auth over STARTTLS;
 *   (b)   OAuth2 client credentials: a token from the token endpoint, then AUTH XOAUTH2 over STARTTLS;
 *   (c-a) (a) and (c-b) (b) with ~20 ms round trip added by a TCP proxy (bench/latencyProxy.ts, 10 ms
 *         per chunk each way) in front of the SMTP server and the token endpoint.
 *
 * The SMTP server and the token endpoint run in a process of their own (bench/smtp-server-child.ts), so
 * their CPU work does not share this process's event loop with the timers of the proxies and of the
 * measurement. Every round runs all eight children, one after the other, in an order that rotates.
 *
 * Per child: spawn to the result line, the child's own time from its first statement to the result
 * (the target statistic: Node's start-up, the same for both, is left out), spawn to exit, CPU to result.
 * A child still alive 10 s after spawn, or 1.5 s after its result, is killed: "did not exit by itself".
 * Every child's stored result must be a success and the server must have received its message, with
 * the expected login and token requests; otherwise the figure fails.
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { testCa } from "../test/support/tlsFixtures";
import { TOKEN_PATH } from "../test/support/tokenEndpoint";
import { ensureBuild, MODULE, ROOT, childEnv, tail } from "./build";
import { HTML_BODY, MAILBOX, PASSWORD, RECIPIENT, type BenchResult, type Figure } from "./harness";
import { startLatencyProxy, type LatencyProxy } from "./latencyProxy";
import type { ServerChildMessage, ServerChildOptions, ServerChildRequest } from "./smtp-server-child";
import { bootstrapInterval, elapsedMs, fmt, fmtRange, fmtRatio, max, median, pairedRatios } from "./stats";

const TITLE = "7. Cold execution";
const CHILD = path.join(__dirname, "cold-child.cjs");
const SERVER_CHILD = path.join(__dirname, "smtp-server-child.ts");
const MAX_ROUNDS = 16;
const MIN_ROUNDS = 10;
/** No new round starts once this is spent (never before MIN_ROUNDS): about 15 rounds, the figure under ~90 s. */
const BUDGET_MS = 62_000;
const CHILD_CAP_MS = 10_000;
/** A child that has printed its result gets this long to exit before it is killed (it should need milliseconds). */
const AFTER_RESULT_CAP_MS = 1_500;
/** Added by the proxy to every chunk in each direction: ~20 ms per round trip. */
const ONE_WAY_DELAY_MS = 10;
const CLIENT_ID = "bench-cold-client";
const CLIENT_SECRET = "bench-cold-secret";
const SCOPE = "https://outlook.office365.com/.default";
const CA_PEM = testCa.toString("utf8");

type Mode = "node" | "raw";
type Auth = "basic" | "clientCredentials";

interface Variant {
  id: string;
  label: string;
  auth: Auth;
  latency: boolean;
  /** Target for node / raw, ratio of medians, first line to result. */
  target: number;
}

const VARIANTS: readonly Variant[] = [
  { id: "a", label: "(a) HTML only, Custom CA, Basic Auth, STARTTLS", auth: "basic", latency: false, target: 1.1 },
  { id: "b", label: "(b) OAuth2 client credentials (token + XOAUTH2)", auth: "clientCredentials", latency: false, target: 0.9 },
  { id: "c-a", label: "(c) (a) with ~20 ms round trip", auth: "basic", latency: true, target: 1.0 },
  { id: "c-b", label: "(c) (b) with ~20 ms round trip", auth: "clientCredentials", latency: true, target: 0.85 },
];
const MODES: readonly Mode[] = ["node", "raw"];

interface ColdRun {
  /** Spawn to the result line; undefined when none came. */
  resultMs?: number;
  /** The child's own clock: its first statement to just before it printed the result. */
  sinceFirstLineMs?: number;
  /** CPU time (user + system) the child had used when it printed its result. */
  cpuMs?: number;
  /** Spawn to exit; undefined when the child was killed at the cap. */
  exitMs?: number;
  success: boolean;
  error?: string;
}

/** Where the children connect: straight to the servers, or to the proxies in front of them. */
interface Route {
  smtpPort: number;
  tokenPort: number;
}

export async function cold(): Promise<BenchResult> {
  const details: string[] = [];
  const build = ensureBuild();
  details.push(build.note);
  if (!build.ok) {
    return { title: TITLE, figures: [{ name: "cold execution", measured: "n/a (no build)", target: "runs", met: false }], details };
  }
  const figureStart = process.hrtime.bigint();
  const servers = await startServerChild({ security: "starttls", tokenClients: { [CLIENT_ID]: CLIENT_SECRET } });
  const proxies: LatencyProxy[] = [];
  try {
    const smtpProxy = await startLatencyProxy({ host: "127.0.0.1", port: servers.port }, ONE_WAY_DELAY_MS);
    proxies.push(smtpProxy);
    const tokenProxy = await startLatencyProxy({ host: "127.0.0.1", port: servers.tokenPort }, ONE_WAY_DELAY_MS);
    proxies.push(tokenProxy);
    const direct: Route = { smtpPort: servers.port, tokenPort: servers.tokenPort };
    const delayed: Route = { smtpPort: smtpProxy.port, tokenPort: tokenProxy.port };
    const verifier = new Verifier(servers, smtpProxy, tokenProxy);

    const runOnce = async (variant: Variant, mode: Mode, subject: string): Promise<ColdRun> => {
      const run = await runChild(mode, variant.auth, variant.latency ? delayed : direct, subject);
      if (!run.success) throw new Error(`cold child ${variant.id}/${mode} failed: ${run.error ?? "no result"}`);
      await verifier.check(variant, `${variant.id}/${mode}`);
      return run;
    };

    // Unmeasured: one of each kind of child (node and raw, Basic Auth and client credentials) fills the
    // file system cache; the latency variants run the same code and files.
    for (const variant of VARIANTS.filter((v) => !v.latency)) for (const mode of MODES) await runOnce(variant, mode, `Bench: cold warm-up ${variant.id} ${mode}`);

    const cells = VARIANTS.flatMap((variant) => MODES.map((mode) => ({ variant, mode })));
    const runs = new Map(cells.map(({ variant, mode }) => [key(variant, mode), [] as ColdRun[]]));
    const measuredStart = process.hrtime.bigint();
    let rounds = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (round >= MIN_ROUNDS && elapsedMs(measuredStart) > BUDGET_MS) break;
      for (let i = 0; i < cells.length; i++) {
        const { variant, mode } = cells[(round + i) % cells.length]!;
        runs.get(key(variant, mode))!.push(await runOnce(variant, mode, `Bench: cold ${variant.id} ${mode} ${round}`));
      }
      rounds++;
    }
    const seconds = elapsedMs(figureStart) / 1000;

    details.push(
      `${rounds} rounds; each round runs all ${cells.length} children (4 variants × node and raw) one after the other, the order rotating by one each round; before them, one unmeasured warm-up of each kind of child (node and raw × Basic Auth and client credentials). ${fmt(seconds, 1)} s for the figure.`,
      "Every child is a plain `node` process (no tsx, no loader flags, no NODE_EXTRA_CA_CERTS): both trust the test CA only through the config, the node through Custom CA Certificate (`caCertificate`, the PEM text), the raw script through `tls: { ca: <PEM>, minVersion: \"TLSv1.2\" }`. Both send HTML only, one recipient; the node derives the plain-text part (html-to-text), the raw script sends no text.",
      "node config: `{ emailService: \"custom\", host, port, security: \"starttls\", caCertificate, authMethod: \"basic\", basicConnection, to, subject, content: HTML_BODY, storeLocation: \"input\", inputKey: \"smtpResult\" }`, for (b) `authMethod: \"oauth2ClientCredentials\"` with `clientCredentialsConnection: { tokenEndpointUrl, clientId, clientSecret, scope, user }`. raw: (b) one form POST with node:http (grant_type=client_credentials, client id and secret in the body, same scope), then `createTransport({ host, port, secure: false, requireTLS: true, tls, auth })` (auth `{ user, pass }` or `{ type: \"OAuth2\", user, accessToken }`), `sendMail({ from, to, subject, html })`, `close()`.",
      "Servers, in a process of their own (bench/smtp-server-child.ts): smtp-server (test/support/smtpTestServer.ts) on 127.0.0.1 offering STARTTLS and requiring it before AUTH (PLAIN, LOGIN, XOAUTH2; XOAUTH2 tokens checked with the token endpoint), certificate signed by the test CA. smtp-server (the library) waits a fixed 100 ms after accepting a connection before it greets (to catch clients that talk too soon; not an option), and both sides wait for it: work a client overlaps with that wait is hidden here, more than against a server that greets at once. The token endpoint (test/support/tokenEndpoint.ts) is plain http on 127.0.0.1 (which the node allows for loopback), client_credentials with the secret in the form body, no delay of its own, one-hour opaque tokens.",
      `Latency (c): bench/latencyProxy.ts in this process, one in front of the SMTP server and one in front of the token endpoint; every chunk held ${ONE_WAY_DELAY_MS} ms in each direction, in order (so ~${2 * ONE_WAY_DELAY_MS} ms per request and answer). Chunks held: SMTP proxy ${held(smtpProxy)}; token proxy ${held(tokenProxy)}.`,
      `Verified after every child: its stored result is a success, the server received its message (${verifier.messages} messages in all, warm-ups included), one successful login with the expected mechanism (${verifier.describeLogins()}), one token request per client-credentials child and none for Basic Auth (${verifier.tokenRequests} in all), and the latency children connected through the proxies (SMTP proxy ${smtpProxy.connections} connections, token proxy ${tokenProxy.connections}).`,
      `A child still running ${CHILD_CAP_MS / 1000} s after spawn, or ${AFTER_RESULT_CAP_MS / 1000} s after its result, is killed and counted as "did not exit by itself". "First line": the child reads process.hrtime.bigint() as its first statement and prints the time since then with its result, so Node's own start-up (the same for both) is not in it; "spawn": this process's clock from spawn() to the result line on the child's stdout.`,
    );
    const figures = VARIANTS.flatMap((variant) => figuresOf(variant, runs.get(key(variant, "node"))!, runs.get(key(variant, "raw"))!, details));
    return { title: TITLE, figures, details };
  } finally {
    for (const proxy of proxies) await proxy.close();
    await servers.close();
  }
}

/** How long a proxy actually held its chunks: a busy event loop or a descheduled process fires timers late. */
function held(proxy: LatencyProxy): string {
  const sorted = [...proxy.heldMs].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? Number.NaN;
  return `${proxy.chunks} chunks, median ${fmt(median(sorted), 2)} ms, 95th percentile ${fmt(p95, 1)} ms, max ${fmt(max(sorted), 1)} ms`;
}

function key(variant: Variant, mode: Mode): string {
  return `${variant.id}/${mode}`;
}

function figuresOf(variant: Variant, node: ColdRun[], raw: ColdRun[], details: string[]): Figure[] {
  const values = (runs: ColdRun[], pick: (run: ColdRun) => number | undefined) => runs.map((run) => pick(run) ?? Number.NaN);
  const firstLine = { node: values(node, (run) => run.sinceFirstLineMs), raw: values(raw, (run) => run.sinceFirstLineMs) };
  const fromSpawn = { node: values(node, (run) => run.resultMs), raw: values(raw, (run) => run.resultMs) };
  const cpu = { node: values(node, (run) => run.cpuMs), raw: values(raw, (run) => run.cpuMs) };
  const startUp = (runs: ColdRun[]) => runs.map((run) => (run.resultMs ?? Number.NaN) - (run.sinceFirstLineMs ?? Number.NaN));
  const exits = (runs: ColdRun[]) => runs.filter((run) => run.exitMs !== undefined).map((run) => run.exitMs!);
  const afterResult = (runs: ColdRun[]) => runs.filter((run) => run.exitMs !== undefined).map((run) => run.exitMs! - (run.resultMs ?? Number.NaN));
  const killed = (runs: ColdRun[]) => runs.length - exits(runs).length;
  const ratioOfMedians = (pair: { node: number[]; raw: number[] }) => median(pair.node) / median(pair.raw);

  const firstLineRatio = ratioOfMedians(firstLine);
  const spawnRatio = ratioOfMedians(fromSpawn);
  const interval = bootstrapInterval(
    node.map((_, i) => i),
    (rounds) => median(rounds.map((i) => firstLine.node[i]!)) / median(rounds.map((i) => firstLine.raw[i]!)),
  );
  const both = `${fmt(median(firstLine.node), 1)} vs ${fmt(median(firstLine.raw), 1)} ms`;
  const bothSpawn = `${fmt(median(fromSpawn.node), 1)} vs ${fmt(median(fromSpawn.raw), 1)} ms`;
  const allExited = killed(node) === 0 && killed(raw) === 0;
  const exitMeasured = allExited
    ? `both, every time (node ${fmt(median(afterResult(node)), 0)} ms, raw ${fmt(median(afterResult(raw)), 0)} ms after the result; spawn to exit ${fmtRatio(median(exits(node)) / median(exits(raw)))})`
    : `no: killed node ${killed(node)}/${node.length}, raw ${killed(raw)}/${raw.length}`;

  const samples = (list: number[]) => `${list.map((v) => fmt(v, 0)).join(", ")} ms (median ${fmt(median(list), 1)}, range ${fmtRange(list, 0)})`;
  details.push(
    `**${variant.label}**, node / raw, first line to result: ratio of medians ${fmt(firstLineRatio, 3)} (90% bootstrap interval over the rounds ${fmt(interval[0], 3)}–${fmt(interval[1], 3)}), median of the per-round ratios ${fmt(median(pairedRatios(firstLine.node, firstLine.raw)), 3)}; target ≤ ${variant.target}×. Spawn to result: ${fmt(spawnRatio, 3)} (per round ${fmt(median(pairedRatios(fromSpawn.node, fromSpawn.raw)), 3)}).`,
    `${variant.id} node, first line to result: ${samples(firstLine.node)}; spawn to result: ${samples(fromSpawn.node)}; spawn to exit: ${node.map((run) => (run.exitMs === undefined ? "killed" : fmt(run.exitMs, 0))).join(", ")} ms; CPU to result: ${samples(cpu.node)}.`,
    `${variant.id} raw, first line to result: ${samples(firstLine.raw)}; spawn to result: ${samples(fromSpawn.raw)}; spawn to exit: ${raw.map((run) => (run.exitMs === undefined ? "killed" : fmt(run.exitMs, 0))).join(", ")} ms; CPU to result: ${samples(cpu.raw)}.`,
    `${variant.id}: CPU to result, node / raw ${fmtRatio(ratioOfMedians(cpu))}; spawn to first line (Node start-up and the pipe, median) node ${fmt(median(startUp(node)), 1)} ms, raw ${fmt(median(startUp(raw)), 1)} ms.`,
  );
  return [
    { name: `${variant.label}: node / raw, first line to result`, measured: `${fmtRatio(firstLineRatio)} (${both})`, target: `≤ ${variant.target}×`, met: firstLineRatio <= variant.target },
    { name: `${variant.label}: node / raw, spawn to result`, measured: `${fmtRatio(spawnRatio)} (${bothSpawn})`, target: "" },
    { name: `${variant.label}: exits by itself`, measured: exitMeasured, target: "exits by itself", met: allExited },
  ];
}

/** Checks, after each child, what the servers and proxies saw against what that child should have done. */
class Verifier {
  messages = 0;
  tokenRequests = 0;
  private readonly logins: Record<string, number> = {};
  private smtpProxyConnections = 0;
  private tokenProxyConnections = 0;

  constructor(
    private readonly servers: ServerChild,
    private readonly smtpProxy: LatencyProxy,
    private readonly tokenProxy: LatencyProxy,
  ) {}

  async check(variant: Variant, what: string): Promise<void> {
    this.messages++;
    // The server stores a message before it answers 250, so it is there by the time the child has its result.
    const seen = await this.servers.counts();
    const fail = (problem: string) => new Error(`cold child ${what}: ${problem}`);
    if (seen.count !== this.messages) throw fail(`the server has ${seen.count} messages, expected ${this.messages}`);
    const token = variant.auth === "clientCredentials" ? 1 : 0;
    if (seen.tokenRequests !== this.tokenRequests + token) throw fail(`${(seen.tokenRequests ?? 0) - this.tokenRequests} token requests, expected ${token}`);
    this.tokenRequests += token;
    const mechanism = variant.auth === "clientCredentials" ? "XOAUTH2" : "PLAIN";
    const added = Object.entries(seen.logins ?? {}).filter(([method, count]) => count !== (this.logins[method] ?? 0));
    if (added.length !== 1 || added[0]![0] !== mechanism || added[0]![1] !== (this.logins[mechanism] ?? 0) + 1) {
      throw fail(`logins went from ${JSON.stringify(this.logins)} to ${JSON.stringify(seen.logins)}, expected one more ${mechanism}`);
    }
    this.logins[mechanism] = (this.logins[mechanism] ?? 0) + 1;
    if (variant.latency) {
      this.smtpProxyConnections++;
      this.tokenProxyConnections += token;
    }
    if (this.smtpProxy.connections !== this.smtpProxyConnections || this.tokenProxy.connections !== this.tokenProxyConnections) {
      throw fail(`proxy connections SMTP ${this.smtpProxy.connections}, token ${this.tokenProxy.connections}; expected ${this.smtpProxyConnections} and ${this.tokenProxyConnections}`);
    }
  }

  describeLogins(): string {
    return Object.entries(this.logins)
      .map(([method, count]) => `${count} ${method}`)
      .join(", ");
  }
}

function runChild(mode: Mode, auth: Auth, route: Route, subject: string): Promise<ColdRun> {
  const settings = {
    module: MODULE,
    nodemailer: require.resolve("nodemailer", { paths: [ROOT] }),
    auth,
    host: "127.0.0.1",
    port: route.smtpPort,
    ca: CA_PEM,
    user: MAILBOX,
    password: PASSWORD,
    tokenUrl: `http://127.0.0.1:${route.tokenPort}${TOKEN_PATH}`,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    scope: SCOPE,
    to: RECIPIENT,
    subject,
    html: HTML_BODY,
  };
  const env: NodeJS.ProcessEnv = { ...childEnv(), COLD_BENCH: JSON.stringify(settings) };
  delete env.NODE_EXTRA_CA_CERTS;
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [CHILD, mode], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
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
      const number = (name: string) => {
        const match = new RegExp(`^${name} (\\S+)$`, "m").exec(stdout);
        return match ? Number(match[1]) : undefined;
      };
      resolve({
        resultMs,
        exitMs,
        sinceFirstLineMs: number("SINCE_FIRST_LINE"),
        cpuMs: number("CPU"),
        success: result?.success === true,
        error: result?.error?.message ?? (stderr.trim() ? tail(stderr) : undefined),
      });
    });
  });
}

interface ServerChild {
  port: number;
  tokenPort: number;
  counts(): Promise<Extract<ServerChildMessage, { count: number }>>;
  close(): Promise<void>;
}

/** bench/smtp-server-child.ts with STARTTLS and a token endpoint, over IPC. */
async function startServerChild(options: ServerChildOptions): Promise<ServerChild> {
  const child: ChildProcess = fork(SERVER_CHILD, [JSON.stringify(options)], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = <K extends string>(field: K, timeoutMs = 10_000) =>
    new Promise<Extract<ServerChildMessage, Record<K, unknown>>>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      const onMessage = (message: ServerChildMessage) => {
        if (!(field in message)) return;
        done();
        resolve(message as Extract<ServerChildMessage, Record<K, unknown>>);
      };
      const onExit = (code: number | null) => {
        done();
        reject(new Error(`server child exited (${code}) before answering`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`server child did not answer "${field}" within ${timeoutMs} ms`));
      }, timeoutMs);
      child.on("message", onMessage);
      child.once("exit", onExit);
    });
  const request = (what: ServerChildRequest) => child.send(what);
  let ready: Extract<ServerChildMessage, { port: number }>;
  try {
    ready = await next("port", 30_000);
  } catch (error) {
    child.kill();
    throw error;
  }
  if (ready.tokenPort === undefined) {
    child.kill();
    throw new Error("server child started without a token endpoint");
  }
  return {
    port: ready.port,
    tokenPort: ready.tokenPort,
    async counts() {
      const answer = next("count");
      request("count");
      return answer;
    },
    async close() {
      if (!child.connected) return;
      const closed = next("closed", 5_000);
      request("close");
      await closed.catch(() => child.kill());
    },
  };
}
