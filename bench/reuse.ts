/**
 * 2. Reuse: sequential sends through the node (warm, reused pooled transport) vs raw pooled nodemailer
 * vs a new transport per send (what most extensions and n8n do), against an implicit-TLS server with
 * smtp-server's default greeting behaviour (it waits 100 ms before greeting every new connection).
 */
import nodemailer from "nodemailer";
import { htmlToPlainText } from "../src/message/plainText";
import { closeAllTransports } from "../src/delivery";
import { startSmtpTestServer } from "../test/support/smtpTestServer";
import { HTML_BODY, MAILBOX, MAILBOX_2, PASSWORD, RECIPIENT, USERS, expectDelivered, interleave, builtNodeSender, nodeConfig, rawPoolOptions, rawSingleOptions, type BenchResult } from "./harness";
import { elapsedMs, fmt, fmtRange, fmtRatio, median } from "./stats";

/** = maxMessages: every round of a pooled variant includes exactly one reconnect, as sustained sending does. */
const POOLED_SENDS_PER_ROUND = 100;
/** A new transport costs a TCP and TLS handshake plus the 100 ms greeting wait: a few sends per round suffice. */
const PER_SEND_SENDS_PER_ROUND = 3;
/** Enough for V8 to have optimized every variant's hot path before the first measured round. */
const WARM_UP_SENDS = 100;
const ROUNDS = 8;
const BUDGET_MS = 20_000;
const TARGET_SHARE = 0.9;

const NODE = "node, typical (HTML only)";
const NODE_LIKE = "node, like for like (HTML + text)";
const POOLED = "raw nodemailer, pooled";
const PER_SEND = "raw nodemailer, new transport per send";

export async function reuse(): Promise<BenchResult> {
  const server = await startSmtpTestServer({ security: "tls", auth: { users: USERS, methods: ["PLAIN", "LOGIN"] } });
  const pooled = nodemailer.createTransport(rawPoolOptions(server));
  try {
    const subject = "Bench: reuse";
    const text = await htmlToPlainText(HTML_BODY);
    const rawMail = { from: MAILBOX, to: RECIPIENT, subject, html: HTML_BODY, text };
    // As in the overhead benchmark: one node variant is given the text part, one generates it; each has its own login, so its own pooled transport.
    const likeForLike = nodeConfig(server, subject, { text });
    const typical = nodeConfig(server, subject, { basicConnection: { username: MAILBOX_2, password: PASSWORD }, from: MAILBOX });
    const node = builtNodeSender();
    const sendPerTransport = async () => {
      const transport = nodemailer.createTransport(rawSingleOptions(server));
      try {
        await transport.sendMail(rawMail);
      } finally {
        transport.close();
      }
    };
    const messagesPerSecond = (count: number, send: () => Promise<unknown>) => async () => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < count; i++) await send();
      return count / (elapsedMs(start) / 1000);
    };

    for (let i = 0; i < WARM_UP_SENDS; i++) {
      await node.send(likeForLike);
      await node.send(typical);
      await pooled.sendMail(rawMail);
    }
    await sendPerTransport();
    const samples = await interleave(
      [
        { name: NODE, run: messagesPerSecond(POOLED_SENDS_PER_ROUND, () => node.send(typical)) },
        { name: NODE_LIKE, run: messagesPerSecond(POOLED_SENDS_PER_ROUND, () => node.send(likeForLike)) },
        { name: POOLED, run: messagesPerSecond(POOLED_SENDS_PER_ROUND, () => pooled.sendMail(rawMail)) },
        { name: PER_SEND, run: messagesPerSecond(PER_SEND_SENDS_PER_ROUND, sendPerTransport) },
      ],
      { rounds: ROUNDS, budgetMs: BUDGET_MS },
    );
    const rounds = samples.get(NODE)!.length;
    await expectDelivered(server, 3 * (WARM_UP_SENDS + POOLED_SENDS_PER_ROUND * rounds) + 1 + PER_SEND_SENDS_PER_ROUND * rounds);
    const logins = new Set(server.authAttempts.filter((attempt) => attempt.success).map((attempt) => attempt.username));

    const nodeRate = median(samples.get(NODE)!);
    const likeRate = median(samples.get(NODE_LIKE)!);
    const pooledRate = median(samples.get(POOLED)!);
    const perSendRate = median(samples.get(PER_SEND)!);
    const share = nodeRate / pooledRate;
    const likeShare = likeRate / pooledRate;
    return {
      title: "2. Reuse (sequential sends, implicit TLS, default 100 ms greeting wait)",
      figures: [
        { name: `${NODE}: msgs/s`, measured: fmt(nodeRate, 1), target: "" },
        { name: `${NODE_LIKE}: msgs/s`, measured: fmt(likeRate, 1), target: "" },
        { name: `${POOLED}: msgs/s`, measured: fmt(pooledRate, 1), target: "" },
        { name: `${PER_SEND}: msgs/s`, measured: fmt(perSendRate, 1), target: "" },
        { name: "node typical msgs/s / raw pooled", measured: `${fmt(share * 100, 1)} %`, target: `≥ ${TARGET_SHARE * 100} %`, met: share >= TARGET_SHARE },
        { name: "node like-for-like msgs/s / raw pooled", measured: `${fmt(likeShare * 100, 1)} %`, target: `≥ ${TARGET_SHARE * 100} %`, met: likeShare >= TARGET_SHARE },
        { name: "node typical vs new transport per send", measured: fmtRatio(nodeRate / perSendRate), target: "" },
        { name: "raw pooled vs new transport per send", measured: fmtRatio(pooledRate / perSendRate), target: "" },
      ],
      details: [
        "The node variants run build/module.js (bundled from the current src/ at the start of the run) through the Send SMTP Email descriptor's function: the code Cognigy runs.",
        `${rounds} interleaved rounds (order rotating): ${POOLED_SENDS_PER_ROUND} sequential sends for the pooled variants, ${PER_SEND_SENDS_PER_ROUND} for the per-send variant; msgs/s per round, medians reported.`,
        ...[...samples].map(([name, rates]) => `${name}: ${rates.map((v) => fmt(v, 1)).join(", ")} (range ${fmtRange(rates, 1)})`),
        `Each pooled round includes one reconnect (maxMessages 100: TCP + TLS + 100 ms greeting wait + AUTH), as sustained sending does; the server accepted ${server.connections} connections and ${server.authAttempts.filter((attempt) => attempt.success).length} logins for ${logins.size} mailbox(es) in the whole run.`,
        "The typical node config has HTML only: the node derives the text part, converting each distinct HTML body once and remembering the last 32 (every send here uses the same template, as a bot sending one template would); raw nodemailer and the like-for-like node are handed the same text ready-made.",
      ],
    };
  } finally {
    pooled.close();
    await closeAllTransports();
    await server.close();
  }
}
