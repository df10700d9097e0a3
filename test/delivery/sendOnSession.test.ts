/**
 * A cold send's message is generated into its stream while the login is still under way (sendOnSession).
 * Generating early must not send early: a message whose stream fails before the login is through sends no
 * MAIL FROM, the failure is the send's (not an unhandled "error" event), and the session stays usable.
 */
import { Readable } from "node:stream";
import { Handover } from "../../src/delivery/smtp/handover";
import { sendOnSession } from "../../src/delivery/smtp/sendOnSession";
import { SmtpSession } from "../../src/delivery/smtp/smtpSession";
import { planTransport } from "../../src/delivery/smtp/transportPlan";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { eventually, message, transportConfig, withDeadline } from "./helpers/fixtures";

let server: SmtpTestServer;

beforeAll(async () => {
  server = await startSmtpTestServer({ security: "none" });
});
afterAll(() => server.close());

const plan = () => planTransport(transportConfig({ emailService: "custom", host: server.host, port: server.port, security: "none", authMethod: "none", from: "alice@example.com" }));
const mailCommands = () => server.commands.filter((command) => command.command === "MAIL").length;

/** Content that fails as soon as nodemailer starts reading it. */
function failingContent(): Readable {
  return new Readable({
    read() {
      this.destroy(new Error("attachment source failed"));
    },
  });
}

describe("sendOnSession: the message generated while the login is under way", () => {
  it("a stream failing before the login is through sends no MAIL FROM and rejects the send", async () => {
    await withDeadline(5_000, async (deadline) => {
      const session = new SmtpSession(plan(), deadline, "test");
      try {
        await session.opened;
        let loginDone!: () => void;
        const loggedIn = new Promise<void>((resolve) => (loginDone = resolve));
        const before = mailCommands();
        const handover = new Handover();
        const sending = sendOnSession(session, loggedIn, message("early failure", { attachments: [{ filename: "a.txt", content: failingContent() }] }), handover);
        // The stream is generated (and fails) while the "login" still waits.
        await eventually(() => handover.stream?.destroyed === true);
        loginDone();
        await expect(sending).rejects.toThrow("attachment source failed");
        expect(mailCommands()).toBe(before);
        expect(handover.complete).toBe(false);
      } finally {
        session.abort();
      }
    });
  });

  it("a healthy message generated before the login is sent whole once the login is through", async () => {
    await withDeadline(5_000, async (deadline) => {
      const session = new SmtpSession(plan(), deadline, "test");
      let loginDone!: () => void;
      const loggedIn = new Promise<void>((resolve) => (loginDone = resolve));
      const before = { messages: server.messages.length, mail: mailCommands() };
      const handover = new Handover();
      const sending = sendOnSession(session, loggedIn, message("generated early", { text: "x".repeat(100_000) }), handover);
      await session.opened;
      // Generated into the stream's buffer, and still nothing sent.
      await eventually(() => (handover.stream?.readableLength ?? 0) > 0);
      expect(mailCommands()).toBe(before.mail);
      loginDone();
      const sent = await sending;
      session.goodbye();
      expect(sent.accepted).toEqual(["bob@example.com"]);
      const [received] = await server.waitForMessages(before.messages + 1).then((messages) => messages.slice(before.messages));
      expect(received!.raw.toString("latin1")).toContain("Subject: generated early");
      expect(received!.raw.length).toBeGreaterThan(100_000);
      expect(handover.complete).toBe(true);
    });
  });
});
