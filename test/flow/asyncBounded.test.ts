/**
 * Asynchronous execution ends its background work within the node's Total Timeout, whatever the server
 * does, so nothing outlives the execution's own limits by more than that.
 */
import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import { closeAllTransports } from "../../src/delivery";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { message } from "./flowHelpers";

let silent: SmtpTestServer;
beforeAll(async () => {
  silent = await startSmtpTestServer({ neverGreet: true });
});
afterAll(async () => {
  await closeAllTransports();
  await silent.close();
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it("gives up a send to a server that never answers at the Total Timeout, logs it and closes the connection", async () => {
  const cognigy = cognigyApiStandIn();
  const result = await runSendSmtpEmail(cognigy.api, {
    emailService: "custom",
    host: silent.host,
    port: silent.port,
    security: "starttls",
    authMethod: "none",
    timeoutSeconds: 1,
    async: true,
    ...message,
    from: "bot@example.com",
  });
  expect(result).toMatchObject({ success: true, response: "queued (asynchronous execution)" });
  await until(() => cognigy.logs("error").length > 0);
  expect(cognigy.logs("error")[0]).toMatch(/failed \(timeout\)( for <[^>]+>)?: The send did not finish within 1 s/);
  await until(() => silent.openConnections === 0);
});
