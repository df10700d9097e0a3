/**
 * The SMTP server in a process of its own, for the benchmarks that measure the client's CPU alone
 * (bench/warm.ts). Same server as the tests (test/support/smtpTestServer.ts) on 127.0.0.1, port 0.
 * Talks to the parent over IPC: sends { port } once listening; answers "count" with { count },
 * "clear" by forgetting the received messages, "close" by closing and exiting.
 */
import { startSmtpTestServer } from "../test/support/smtpTestServer";
import { USERS } from "./harness";

export type ServerChildRequest = "count" | "clear" | "close";
export type ServerChildMessage = { port: number } | { count: number } | { closed: true };

async function main(): Promise<void> {
  const server = await startSmtpTestServer({ security: "none", auth: { users: USERS, methods: ["PLAIN", "LOGIN"] } });
  let received = 0;
  const reply = (message: ServerChildMessage) => process.send?.(message);
  process.on("message", async (request: ServerChildRequest) => {
    if (request === "count") reply({ count: received + server.messages.length });
    if (request === "clear") {
      received += server.messages.length;
      server.clear();
    }
    if (request === "close") {
      await server.close();
      reply({ closed: true });
      process.disconnect();
    }
  });
  // The parent going away ends this process too.
  process.on("disconnect", () => void server.close());
  reply({ port: server.port });
}

void main();
