/**
 * 4. Tokens: 100 concurrent sends with OAuth2 Client Credentials on a cold token cache must make exactly
 * one token request; 100 more sends once that token has expired must make exactly one more.
 *
 * The endpoint issues 2-second tokens. The cache renews a token once less than its refresh margin is
 * left (src/oauth2/tokenCache.ts: 60 s, or half the lifetime for shorter tokens); the bench waits
 * until the token has expired outright, so it is stale under any margin, and the SMTP server (which
 * asks the endpoint whether a token is valid) would refuse a stale one.
 */
import { closeAllTransports, resetCaches } from "../src/delivery";
import { startSmtpTestServer } from "../test/support/smtpTestServer";
import { startTokenEndpoint } from "../test/support/tokenEndpoint";
import { MAILBOX, nodeConfig, nodeSender, type BenchResult } from "./harness";
import { elapsedMs, fmt, sleep } from "./stats";

const CLIENT_ID = "bench-client";
const CLIENT_SECRET = "bench-client-secret";
const TOKEN_LIFETIME_S = 2;
const SENDS = 100;
const RUNS = 3;

interface RunOutcome {
  coldRequests: number;
  renewalRequests: number;
  coldMs: number;
  renewalMs: number;
}

export async function tokens(): Promise<BenchResult> {
  const endpoint = await startTokenEndpoint({ clients: { [CLIENT_ID]: CLIENT_SECRET }, expiresIn: TOKEN_LIFETIME_S });
  const server = await startSmtpTestServer({ security: "none", auth: { tokens: (_user, token) => endpoint.isValidToken(token), methods: ["XOAUTH2"] } });
  try {
    const node = nodeSender();
    const connection = { tokenEndpointUrl: endpoint.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scope: "https://outlook.office365.com/.default", user: MAILBOX };
    const config = (subject: string) => nodeConfig(server, subject, { authMethod: "oauth2ClientCredentials", basicConnection: undefined, clientCredentialsConnection: connection });
    const sendBatch = async (label: string): Promise<{ requests: number; ms: number }> => {
      const before = endpoint.requestCount;
      const expected = server.messages.length + SENDS;
      const start = process.hrtime.bigint();
      await Promise.all(Array.from({ length: SENDS }, (_, i) => node.send(config(`${label} #${i}`))));
      const ms = elapsedMs(start);
      await server.waitForMessages(expected, 10_000);
      return { requests: endpoint.requestCount - before, ms };
    };

    const outcomes: RunOutcome[] = [];
    for (let run = 1; run <= RUNS; run++) {
      await resetCaches();
      const cold = await sendBatch(`tokens ${run} cold`);
      const latest = endpoint.issuedTokens[endpoint.issuedTokens.length - 1];
      if (!latest) throw new Error("the token endpoint issued no token");
      // Past the token's expiry: no refresh margin can still consider it fresh.
      await sleep(Math.max(0, latest.expiresAt - Date.now()) + 100);
      const renewal = await sendBatch(`tokens ${run} after expiry`);
      outcomes.push({ coldRequests: cold.requests, renewalRequests: renewal.requests, coldMs: cold.ms, renewalMs: renewal.ms });
    }
    const failedRequests = endpoint.requests.filter((request) => request.status !== 200).length;
    const cold = outcomes.map((outcome) => outcome.coldRequests);
    const renewal = outcomes.map((outcome) => outcome.renewalRequests);
    return {
      title: `4. Tokens (OAuth2 Client Credentials, ${SENDS} concurrent sends, ${TOKEN_LIFETIME_S} s tokens)`,
      figures: [
        { name: `token requests, ${SENDS} concurrent sends, cold cache`, measured: cold.join(", "), target: "exactly 1 (each run)", met: cold.every((count) => count === 1) },
        { name: `token requests, ${SENDS} concurrent sends after expiry`, measured: renewal.join(", "), target: "exactly 1 (each run)", met: renewal.every((count) => count === 1) },
      ],
      details: [
        `${RUNS} runs; each: resetCaches(), ${SENDS} concurrent node sends (cold), wait until the issued token has expired, ${SENDS} concurrent sends again. All ${2 * SENDS * RUNS} messages arrived; the SMTP server accepted XOAUTH2 only with a token the endpoint reports valid.`,
        `batch wall time, cold (incl. token request): ${outcomes.map((outcome) => `${fmt(outcome.coldMs, 0)} ms`).join(", ")}; after expiry: ${outcomes.map((outcome) => `${fmt(outcome.renewalMs, 0)} ms`).join(", ")}.`,
        `token endpoint: ${endpoint.requestCount} requests in total, ${failedRequests} failed.`,
      ],
    };
  } finally {
    await closeAllTransports();
    await server.close();
    await endpoint.close();
  }
}
