/**
 * The SMTP server in a process of its own, for the benchmarks that measure the client's CPU alone
 * (bench/warm.ts) or time fresh client processes (bench/cold.ts). Same server as the tests
 * (test/support/smtpTestServer.ts) on 127.0.0.1, port 0.
 * Talks to the parent over IPC: sends { port } once listening; answers "count" with { count },
 * "clear" by forgetting the received messages, "close" by closing and exiting.
 *
 * Without arguments: plain SMTP (no STARTTLS), AUTH PLAIN/LOGIN. With a JSON argument
 * (ServerChildOptions), e.g. { "security": "starttls", "tokenClients": { "id": "secret" } }: STARTTLS
 * (required before AUTH) and, with tokenClients, also a token endpoint (test/support/tokenEndpoint.ts) in
 * this process whose tokens the server accepts with AUTH XOAUTH2; { port } then carries tokenPort, and
 * { count } also the token requests served and the successful logins by AUTH mechanism.
 */
import { startSmtpTestServer } from "../test/support/smtpTestServer";
import { startTokenEndpoint } from "../test/support/tokenEndpoint";
import { USERS } from "./harness";

export interface ServerChildOptions {
  security?: "none" | "starttls";
  /** Client id -> secret for a token endpoint (client credentials) whose tokens AUTH XOAUTH2 accepts. */
  tokenClients?: Record<string, string>;
}

export type ServerChildRequest = "count" | "clear" | "close";
export type ServerChildMessage =
  | { port: number; tokenPort?: number }
  | { count: number; tokenRequests?: number; logins?: Record<string, number> }
  | { closed: true };

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? "{}") as ServerChildOptions;
  const endpoint = options.tokenClients ? await startTokenEndpoint({ clients: options.tokenClients }) : undefined;
  const server = await startSmtpTestServer({
    security: options.security ?? "none",
    auth: endpoint
      ? { users: USERS, tokens: (_user, token) => endpoint.isValidToken(token), methods: ["PLAIN", "LOGIN", "XOAUTH2"] }
      : { users: USERS, methods: ["PLAIN", "LOGIN"] },
  });
  let received = 0;
  let loginsBefore: Record<string, number> = {};
  /** Successful logins by AUTH mechanism, the cleared ones included. */
  const logins = () => {
    const now = { ...loginsBefore };
    for (const attempt of server.authAttempts) if (attempt.success) now[attempt.method] = (now[attempt.method] ?? 0) + 1;
    return now;
  };
  const reply = (message: ServerChildMessage) => process.send?.(message);
  process.on("message", async (request: ServerChildRequest) => {
    if (request === "count") {
      reply({ count: received + server.messages.length, ...(endpoint && { tokenRequests: endpoint.requestCount, logins: logins() }) });
    }
    if (request === "clear") {
      received += server.messages.length;
      loginsBefore = logins();
      server.clear();
    }
    if (request === "close") {
      await Promise.all([server.close(), endpoint?.close()]);
      reply({ closed: true });
      process.disconnect();
    }
  });
  // The parent going away ends this process too.
  process.on("disconnect", () => void Promise.all([server.close(), endpoint?.close()]));
  reply({ port: server.port, ...(endpoint && { tokenPort: endpoint.port }) });
}

void main();
