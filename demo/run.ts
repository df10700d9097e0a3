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
import { closeAllTransports } from "../src/delivery";
import { cognigyApiStandIn } from "../test/support/cognigyApiStandIn";
import { startGraphStandIn } from "../test/support/graphStandIn";
import { startSmtpTestServer } from "../test/support/smtpTestServer";
import { testCa } from "../test/support/tlsFixtures";
import { startTokenEndpoint } from "../test/support/tokenEndpoint";

const MAILBOX = "bot@demo.example";
const PASSWORD = "demo-app-password";
const CLIENT_ID = "demo-client";
const CLIENT_SECRET = "demo-client-secret";

async function main(): Promise<number> {
  // Entra-shaped tokens (JWTs with the app's roles), as Microsoft issues them for client credentials.
  const tokenEndpoint = await startTokenEndpoint({ clients: { [CLIENT_ID]: CLIENT_SECRET }, expiresIn: 3600, jwt: { roles: ["Mail.Send"] } });
  // Microsoft Graph's sendMail, as Microsoft documents it (see test/support/graphStandIn.ts).
  const graph = await startGraphStandIn({ isValidToken: tokenEndpoint.isValidToken, mailboxes: { [MAILBOX]: "licensed" } });
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
    console.log(`Microsoft Graph stand-in: ${graph.url}`);

    const server = {
      emailService: "custom",
      host: smtp.host,
      port: smtp.port,
      security: "tls",
      // The demo server's certificate is signed by a test CA; trusting it beats turning checks off.
      caCertificate: testCa.toString("utf8"),
    };
    const basicLogin = { authMethod: "basic", basicConnection: { username: MAILBOX, password: PASSWORD } };

    // 1. "Test SMTP Connection": connect, TLS, log in, send nothing.
    await runVerifySmtpConnection(cognigy.api, {
      ...server,
      ...basicLogin,
      storeLocation: "input",
      inputKey: "connectionTest",
    });
    show("Test SMTP Connection -> input.connectionTest", cognigy.input.connectionTest);

    // 2. Basic Auth with a text attachment, result stored in the Input object.
    await runSendSmtpEmail(cognigy.api, {
      ...server,
      ...basicLogin,
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

    // 5. A follow-up in the same conversation: In Reply To is the Message-ID stored by step 2,
    //    what {{input.emailResult.messageId}} gives in a flow.
    const booking = cognigy.input.emailResult as { messageId: string };
    await runSendSmtpEmail(cognigy.api, {
      ...server,
      ...basicLogin,
      to: "Jane Doe <jane@example.com>",
      subject: "Re: Your booking ✈ Zürich",
      content: "<p>Hello Jane, your seat has changed to 14C.</p>",
      inReplyTo: booking.messageId,
      customHeaders: { "X-Ticket-Id": "4711" },
      storeLocation: "input",
      inputKey: "followUpResult",
    });
    show("Send SMTP Email (threaded follow-up) -> input.followUpResult", cognigy.input.followUpResult);

    // 6. A meeting invitation that Outlook and Gmail show with Accept / Decline.
    await runSendSmtpEmail(cognigy.api, {
      ...server,
      ...basicLogin,
      to: "jane@example.com",
      subject: "Invitation: follow-up call",
      content: "<p>Hello Jane, here is the invitation for our follow-up call.</p>",
      calendarEvent: [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Demo//Support Bot//EN",
        "BEGIN:VEVENT",
        "UID:follow-up-4711@demo.example",
        "DTSTAMP:20261120T090000Z",
        "DTSTART:20261201T100000Z",
        "DTEND:20261201T103000Z",
        "SUMMARY:Follow-up call",
        `ORGANIZER;CN=Support:mailto:${MAILBOX}`,
        "ATTENDEE;CN=Jane Doe;RSVP=TRUE:mailto:jane@example.com",
        "END:VEVENT",
        "END:VCALENDAR",
      ].join("\n"),
      calendarMethod: "REQUEST",
      storeLocation: "input",
      inputKey: "inviteResult",
    });
    show("Send SMTP Email (calendar invite) -> input.inviteResult", cognigy.input.inviteResult);

    // 7. Microsoft 365 with SMTP AUTH turned off: the same kind of message through Microsoft Graph.
    const viaGraph = {
      delivery: "graph",
      graphEndpoint: graph.url,
      authMethod: "oauth2ClientCredentials",
      // Scope left empty: the node asks for the Graph endpoint's .default scope.
      clientCredentialsConnection: { tokenEndpointUrl: tokenEndpoint.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, user: MAILBOX },
    };
    await runVerifySmtpConnection(cognigy.api, { ...viaGraph, storeLocation: "input", inputKey: "graphTest" });
    show("Test SMTP Connection (Microsoft Graph) -> input.graphTest", cognigy.input.graphTest);
    await runSendSmtpEmail(cognigy.api, {
      ...viaGraph,
      to: "Jane Doe <jane@example.com>",
      bcc: "audit@example.com",
      subject: "Your booking ✈ Zürich (via Microsoft Graph)",
      content: "<h1>Booking confirmed</h1><p>Sent through Microsoft Graph.</p>",
      attachmentType: "text",
      attachmentText: "Flight LX 318, seat 12A\n",
      attachmentFileName: "booking.txt",
      storeLocation: "input",
      inputKey: "graphResult",
    });
    show("Send SMTP Email (Microsoft Graph) -> input.graphResult", cognigy.input.graphResult);
    const handedOver = graph.accepted[0];
    if (!handedOver) failures++;
    else {
      const file = join(outDir, "graph-message.eml");
      writeFileSync(file, handedOver.mime);
      console.log(`\n== Received by Microsoft Graph (as ${handedOver.mailbox}): ${file}, ${handedOver.mime.length} bytes, Bcc in the MIME handed over`);
      for (const copy of handedOver.deliveries) {
        const bccVisible = /^Bcc:/im.test(copy.raw.toString("latin1"));
        console.log(`  delivered to ${copy.recipient}: Bcc header ${bccVisible ? "VISIBLE" : "removed"}`);
        if (bccVisible) failures++;
      }
    }

    console.log("\n== Received by the SMTP server");
    smtp.messages.forEach((message, index) => {
      const file = join(outDir, `message-${index + 1}.eml`);
      writeFileSync(file, message.raw);
      console.log(`${file}  (from ${message.envelope.mailFrom} to ${message.envelope.rcptTo.join(", ")}, ${message.raw.length} bytes)`);
    });
    if (smtp.messages.length !== 4) failures++;

    const [reply, invite] = smtp.messages.slice(2).map((message) => message.raw.toString("latin1"));
    const headerLines = (raw: string | undefined, pattern: RegExp) =>
      (raw ?? "").slice(0, (raw ?? "").indexOf("\r\n\r\n")).replace(/\r\n[ \t]/g, " ").split("\r\n").filter((line) => pattern.test(line));
    console.log("\n== The follow-up's threading headers (Message-ID of the booking mail)");
    for (const line of headerLines(reply, /^(In-Reply-To|References|X-Ticket-Id):/i)) console.log(`  ${line}`);
    if (!reply?.includes(`In-Reply-To: ${booking.messageId}`)) failures++;
    console.log("\n== The invitation's parts");
    for (const line of (invite ?? "").split("\r\n").filter((line) => /^Content-Type: (text\/calendar|application\/ics)/.test(line))) console.log(`  ${line}`);
    if (!invite?.includes("method=REQUEST")) failures++;
    console.log("\n== Log lines the nodes wrote");
    for (const line of cognigy.logs()) console.log(`  ${line}`);
  } finally {
    await closeAllTransports();
    await smtp.close();
    await tokenEndpoint.close();
    await graph.close();
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
