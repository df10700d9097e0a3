/**
 * The main job for a newcomer: real sends through the extension's node functions, to an SMTP server
 * (implicit TLS, AUTH required) and an OAuth2 token endpoint that run inside this process on 127.0.0.1.
 * Cognigy itself is replaced by a stand-in of its node API that keeps real Input and Context objects.
 *
 *   npm run demo
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBuildMime } from "../src/execution/runBuildMime";
import { runSendSmtpEmail } from "../src/execution/runSendSmtpEmail";
import { runVerifySmtpConnection } from "../src/execution/runVerifySmtpConnection";
import { closeAllTransports } from "../src/transport";
import { cognigyApiStandIn } from "../test/support/cognigyApiStandIn";
import { startSmtpTestServer } from "../test/support/smtpTestServer";
import { testCa } from "../test/support/tlsFixtures";
import { startTokenEndpoint } from "../test/support/tokenEndpoint";

const MAILBOX = "bot@demo.example";
const PASSWORD = "demo-app-password";
const CLIENT_ID = "demo-client";
const CLIENT_SECRET = "demo-client-secret";

async function main(): Promise<number> {
  const tokenEndpoint = await startTokenEndpoint({ clients: { [CLIENT_ID]: CLIENT_SECRET }, expiresIn: 3600 });
  const smtp = await startSmtpTestServer({
    security: "tls",
    auth: { users: { [MAILBOX]: PASSWORD }, tokens: (_user, token) => tokenEndpoint.isValidToken(token) },
  });
  const cognigy = cognigyApiStandIn();
  const outDir = join(__dirname, "out");
  mkdirSync(outDir, { recursive: true });
  let failures = 0;
  const show = (title: string, value: unknown) => {
    console.log(`\n== ${title}\n${JSON.stringify(value, null, 2)}`);
    if (value && typeof value === "object" && "success" in value && value.success === false) failures++;
  };

  try {
    console.log(`SMTP server (implicit TLS, AUTH required): ${smtp.host}:${smtp.port}`);
    console.log(`OAuth2 token endpoint: ${tokenEndpoint.url}`);

    const server = {
      emailService: "custom",
      host: smtp.host,
      port: smtp.port,
      security: "tls",
      // The demo server's certificate is signed by a test CA; trusting it beats turning checks off.
      caCertificate: testCa.toString("utf8"),
    };

    // 1. "Test SMTP Connection": connect, TLS, log in, send nothing.
    await runVerifySmtpConnection(cognigy.api, {
      ...server,
      authMethod: "basic",
      basicConnection: { username: MAILBOX, password: PASSWORD },
      storeLocation: "input",
      inputKey: "connectionTest",
    });
    show("Test SMTP Connection -> input.connectionTest", cognigy.input.connectionTest);

    // 2. Basic Auth with a text attachment, result stored in the Input object.
    await runSendSmtpEmail(cognigy.api, {
      ...server,
      authMethod: "basic",
      basicConnection: { username: MAILBOX, password: PASSWORD },
      to: 'Jane Doe <jane@example.com>, "Doe, John" <john@example.com>',
      subject: "Your booking ✈ Zürich",
      content: "<h1>Booking confirmed</h1><p>Hello Jane, your flight to <b>Zürich</b> is booked.</p>",
      attachmentType: "text",
      attachmentText: "Flight LX 318, seat 12A\n",
      attachmentFileName: "booking.txt",
      priority: "high",
      storeLocation: "input",
      inputKey: "emailResult",
    });
    show("Send SMTP Email (Basic Auth) -> input.emailResult", cognigy.input.emailResult);

    // 3. Build MIME: a calendar invitation part, stored for the next node.
    await runBuildMime(cognigy.api, {
      contentType: "text/calendar; method=REQUEST",
      fileName: "invite.ics",
      contentSource: "text",
      contentText: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Follow-up call\r\nDTSTART:20261201T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
      storeLocation: "input",
      inputKey: "mimePart",
    });
    const part = cognigy.input.mimePart as { size: number; contentType: string };
    show("Build MIME -> input.mimePart (raw entity omitted)", { ...part, raw: "…" });

    // 4. OAuth2 Client Credentials (as for Microsoft 365), attaching the Build MIME part; stored in Context.
    await runSendSmtpEmail(cognigy.api, {
      ...server,
      authMethod: "oauth2ClientCredentials",
      clientCredentialsConnection: {
        tokenEndpointUrl: tokenEndpoint.url,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        scope: "https://outlook.office365.com/.default",
        user: MAILBOX,
      },
      to: "jane@example.com",
      cc: "team@example.com",
      bcc: "audit@example.com",
      subject: "Invitation: follow-up call",
      content: "<p>Please find the invitation attached.</p>",
      attachmentType: "mime",
      attachmentMime: cognigy.input.mimePart,
      storeLocation: "context",
      contextKey: "emailResult",
    });
    show("Send SMTP Email (OAuth2 Client Credentials) -> context.emailResult", cognigy.context.emailResult);
    console.log(`\nToken requests made: ${tokenEndpoint.requestCount}`);

    console.log("\n== Received by the SMTP server");
    smtp.messages.forEach((message, index) => {
      const file = join(outDir, `message-${index + 1}.eml`);
      writeFileSync(file, message.raw);
      console.log(`${file}  (from ${message.envelope.mailFrom} to ${message.envelope.rcptTo.join(", ")}, ${message.raw.length} bytes)`);
    });
    if (smtp.messages.length !== 2) failures++;
    console.log("\n== Log lines the nodes wrote");
    for (const line of cognigy.logs()) console.log(`  ${line}`);
  } finally {
    await closeAllTransports();
    await smtp.close();
    await tokenEndpoint.close();
  }
  console.log(failures === 0 ? "\nDemo finished: every step succeeded." : `\nDemo finished with ${failures} failure(s).`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
