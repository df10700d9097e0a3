/**
 * 1. Node overhead: sequential sends through the Send SMTP Email node function vs raw nodemailer with
 * the same pooled transport settings, same server, same message.
 *
 * Two node variants: "like for like" is given the same HTML and plain text raw nodemailer gets
 * (Custom Plain-Text Content set); "typical" only the HTML, from which the node derives the text part
 * (converted once per distinct body, then remembered; raw nodemailer gets that text ready-made). The
 * target is judged on both.
 */
import nodemailer from "nodemailer";
import { htmlToPlainText } from "../src/message/plainText";
import { closeAllTransports } from "../src/delivery";
import { startSmtpTestServer } from "../test/support/smtpTestServer";
import { HTML_BODY, MAILBOX, MAILBOX_2, PASSWORD, RECIPIENT, USERS, expectDelivered, interleave, builtNodeSender, nodeConfig, rawPoolOptions, type BenchResult } from "./harness";
import { elapsedMs, fmt, fmtMs, fmtRange, fmtRatio, median } from "./stats";

const SENDS_PER_ROUND = 25;
/** Enough for V8 to have optimized every variant's hot path before the first measured round. */
const WARM_UP_SENDS = 200;
const ROUNDS = 20;
const BUDGET_MS = 25_000;
const TARGET_RATIO = 1.05;

const LIKE_FOR_LIKE = "node (like for like)";
const TYPICAL = "node (typical: HTML only)";
const RAW = "raw nodemailer (pooled)";

export async function nodeOverhead(): Promise<BenchResult> {
  // Plain server, AUTH PLAIN/LOGIN in clear: per-message costs are not hidden behind TLS.
  const server = await startSmtpTestServer({ security: "none", auth: { users: USERS, methods: ["PLAIN", "LOGIN"] } });
  const raw = nodemailer.createTransport(rawPoolOptions(server));
  try {
    const subject = "Bench: node overhead";
    const text = await htmlToPlainText(HTML_BODY);
    const rawMail = { from: MAILBOX, to: RECIPIENT, subject, html: HTML_BODY, text };
    const likeForLike = nodeConfig(server, subject, { text });
    // A second login, so each node variant has a pooled transport of its own, as raw nodemailer has.
    const typical = nodeConfig(server, subject, { basicConnection: { username: MAILBOX_2, password: PASSWORD }, from: MAILBOX });
    const node = builtNodeSender();
    const variants: Record<string, () => Promise<unknown>> = {
      [LIKE_FOR_LIKE]: () => node.send(likeForLike),
      [TYPICAL]: () => node.send(typical),
      [RAW]: () => raw.sendMail(rawMail),
    };

    // Every 100th message opens a new pooled connection (maxMessages 100) and waits ~100 ms for
    // smtp-server's greeting, the same for every variant; such sends are left out of the per-message mean.
    let connectionSends = 0;
    const timeRound = (send: () => Promise<unknown>) => async () => {
      let total = 0;
      let counted = 0;
      for (let i = 0; i < SENDS_PER_ROUND; i++) {
        const connectionsBefore = server.connections;
        const start = process.hrtime.bigint();
        await send();
        const ms = elapsedMs(start);
        if (server.connections !== connectionsBefore) {
          connectionSends++;
          continue;
        }
        total += ms;
        counted++;
      }
      return total / counted;
    };

    // Open the pooled connections and let the JIT settle before measuring.
    for (let i = 0; i < WARM_UP_SENDS; i++) for (const send of Object.values(variants)) await send();
    const samples = await interleave(
      Object.entries(variants).map(([name, send]) => ({ name, run: timeRound(send) })),
      { rounds: ROUNDS, budgetMs: BUDGET_MS },
    );
    const rounds = samples.get(RAW)!.length;
    await expectDelivered(server, 3 * (WARM_UP_SENDS + SENDS_PER_ROUND * rounds));

    const rawMs = median(samples.get(RAW)!);
    const figures: BenchResult["figures"] = [];
    const details = [
      "The node variants run build/module.js (bundled from the current src/ at the start of the run) through the Send SMTP Email descriptor's function: the code Cognigy runs.",
      `${rounds} interleaved rounds (order rotating each round) of ${SENDS_PER_ROUND} sequential sends per variant, after ${WARM_UP_SENDS} warm-up sends each.`,
      `Figure per round: mean wall time per send, leaving out the ${connectionSends} sends (all variants together) that opened a new pooled connection.`,
      "All variants: maxConnections 3, maxMessages 100, forceAuth, one pool each, same server, same MIME structure (HTML + text alternative). Client and server share one process, so a send's time is the CPU work of both sides.",
    ];
    for (const [name, ms] of samples) {
      figures.push({ name: `${name}: ms per message`, measured: fmtMs(median(ms), 3), target: "" });
      details.push(`${name}: ms/msg per round ${ms.map((v) => fmt(v, 3)).join(", ")} (median ${fmt(median(ms), 3)}, range ${fmtRange(ms, 3)}).`);
    }
    for (const name of [LIKE_FOR_LIKE, TYPICAL]) {
      const ms = samples.get(name)!;
      const ratio = median(ms) / rawMs;
      const paired = ms.map((value, i) => value / samples.get(RAW)![i]!);
      figures.push({ name: `overhead ratio, ${name} / raw`, measured: fmtRatio(ratio), target: `≤ ${TARGET_RATIO}×`, met: ratio <= TARGET_RATIO });
      details.push(`${name} / raw: ratio of medians ${fmt(ratio, 3)} (+${fmt(median(ms) - rawMs, 3)} ms per message); median of per-round paired ratios ${fmt(median(paired), 3)}.`);
    }
    return { title: "1. Node overhead (sequential sends, pooled, plain SMTP + AUTH PLAIN)", figures, details };
  } finally {
    raw.close();
    await closeAllTransports();
    await server.close();
  }
}
