/**
 * 3. Concurrency: 200 sends from 20 concurrent node executions through the shared pooled transport.
 * Every message must arrive exactly once: counted on the server, Message-IDs unique and equal to the
 * ones the node reported, every send's unique subject seen once.
 */
import { closeAllTransports } from "../src/delivery";
import { startSmtpTestServer, type ReceivedMessage } from "../test/support/smtpTestServer";
import { USERS, nodeConfig, nodeSender, type BenchResult } from "./harness";
import { elapsedMs, fmt, fmtRange, median, sleep } from "./stats";

const SENDS = 200;
const EXECUTIONS = 20;
const RUNS = 3;
/** After the last send, wait this long for stray duplicates before counting. */
const SETTLE_MS = 300;

interface RunOutcome {
  messagesPerSecond: number;
  problems: string[];
}

export async function concurrency(): Promise<BenchResult> {
  const server = await startSmtpTestServer({ security: "tls", auth: { users: USERS, methods: ["PLAIN", "LOGIN"] } });
  try {
    const node = nodeSender();
    // Warm: the pool's connections open during a first burst, as in a running Cognigy process.
    await Promise.all(Array.from({ length: EXECUTIONS }, (_, i) => node.send(nodeConfig(server, `warm-up ${i}`))));
    await server.waitForMessages(EXECUTIONS, 10_000);

    const outcomes: RunOutcome[] = [];
    for (let run = 1; run <= RUNS; run++) {
      server.clear();
      outcomes.push(await burst(run, node, server));
    }
    const rates = outcomes.map((outcome) => outcome.messagesPerSecond);
    const problems = outcomes.flatMap((outcome, i) => outcome.problems.map((problem) => `run ${i + 1}: ${problem}`));
    return {
      title: `3. Concurrency (${SENDS} sends from ${EXECUTIONS} concurrent executions, implicit TLS)`,
      figures: [
        {
          name: `all ${SENDS} delivered exactly once (${RUNS} runs)`,
          measured: problems.length === 0 ? `yes (${RUNS}/${RUNS} runs)` : `no: ${problems.length} problem(s)`,
          target: "exactly once, unique Message-IDs",
          met: problems.length === 0,
        },
        { name: "msgs/s with 20 concurrent executions", measured: fmt(median(rates), 1), target: "" },
      ],
      details: [
        `${RUNS} runs after a warm-up burst; each run: ${EXECUTIONS} executions each take the next of ${SENDS} sends until none is left; msgs/s = ${SENDS} / wall time of the run.`,
        `msgs/s per run: ${rates.map((rate) => fmt(rate, 1)).join(", ")} (range ${fmtRange(rates, 1)}).`,
        "Checked per run: server count = 200 (after a 300 ms settle), 200 distinct Message-IDs on the server equal to the 200 the node reported, each subject received once.",
        ...(problems.length > 0 ? problems : []),
      ],
    };
  } finally {
    await closeAllTransports();
    await server.close();
  }
}

async function burst(run: number, node: ReturnType<typeof nodeSender>, server: Awaited<ReturnType<typeof startSmtpTestServer>>): Promise<RunOutcome> {
  const reportedIds: string[] = [];
  let next = 0;
  const execution = async () => {
    while (next < SENDS) {
      const index = next++;
      const result = await node.send(nodeConfig(server, `burst ${run} #${index}`));
      reportedIds.push(result.messageId);
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: EXECUTIONS }, execution));
  const ms = elapsedMs(start);
  await server.waitForMessages(SENDS, 10_000).catch(() => undefined);
  await sleep(SETTLE_MS);

  const problems: string[] = [];
  const received = server.messages;
  if (received.length !== SENDS) problems.push(`server received ${received.length} messages, expected ${SENDS}`);
  const serverIds = received.map(messageIdOf);
  const distinct = new Set(serverIds);
  if (distinct.size !== received.length) problems.push(`${received.length - distinct.size} duplicate Message-ID(s) on the server`);
  if (serverIds.some((id) => id === undefined)) problems.push("a message without Message-ID header");
  const reported = new Set(reportedIds);
  if (reported.size !== SENDS) problems.push(`node reported ${reported.size} distinct Message-IDs for ${SENDS} sends`);
  if ([...reported].some((id) => !distinct.has(id))) problems.push("a Message-ID the node reported never arrived");
  const subjects = new Set(received.map(subjectOf));
  for (let index = 0; index < SENDS; index++) {
    if (!subjects.has(`burst ${run} #${index}`)) {
      problems.push(`send #${index} never arrived`);
      break;
    }
  }
  return { messagesPerSecond: SENDS / (ms / 1000), problems };
}

function headerOf(message: ReceivedMessage, name: string): string | undefined {
  const raw = message.raw.toString("utf8");
  const headerEnd = raw.indexOf("\r\n\r\n");
  const headers = (headerEnd >= 0 ? raw.slice(0, headerEnd) : raw).replace(/\r\n[ \t]+/g, " ");
  const match = new RegExp(`^${name}:[ \\t]*(.*)$`, "im").exec(headers);
  return match?.[1]?.trim();
}

function messageIdOf(message: ReceivedMessage): string | undefined {
  return headerOf(message, "Message-ID");
}

function subjectOf(message: ReceivedMessage): string | undefined {
  return headerOf(message, "Subject");
}
