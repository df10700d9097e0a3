/**
 * In a flow: a follow-up threaded to an earlier mail through its stored result, an invitation, and
 * bad threading, header or calendar settings refused with a stored configuration error while the
 * server (TLS, AUTH required) receives nothing.
 */
import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { parseMessage } from "../support/parseMessage";
import { INVITE } from "../message/helpers/invite";
import { basicAuth, message, serverConfig, useFlowServer } from "./flowHelpers";

const server = useFlowServer();

const config = (extra: Record<string, unknown> = {}) => ({ ...serverConfig(server()), ...basicAuth(), ...message, ...extra });

it("threads a follow-up to the mail whose result was stored, as {{input.smtpResult.messageId}} does", async () => {
  const cognigy = cognigyApiStandIn();
  await runSendSmtpEmail(cognigy.api, config({ subject: "Your ticket 4711", storeLocation: "input", inputKey: "smtpResult" }));
  const first = cognigy.input.smtpResult as { success: boolean; messageId: string };
  expect(first.success).toBe(true);

  // Cognigy resolves the CognigyScript before the node runs; the node sees the stored value.
  await runSendSmtpEmail(cognigy.api, config({ subject: "Re: Your ticket 4711", inReplyTo: first.messageId, storeLocation: "input", inputKey: "followUp" }));
  expect(cognigy.input.followUp).toMatchObject({ success: true });

  const [original, followUp] = await Promise.all(server().messages.slice(-2).map((received) => parseMessage(received.raw)));
  expect(original?.messageId).toBe(first.messageId);
  expect(followUp?.inReplyTo).toBe(first.messageId);
  expect(followUp?.references).toBe(first.messageId);
});

it("sends an invitation with custom headers", async () => {
  const cognigy = cognigyApiStandIn();
  await runSendSmtpEmail(cognigy.api, config({ calendarEvent: INVITE, customHeaders: { "X-Ticket-Id": "4711" }, storeLocation: "input", inputKey: "invite" }));
  expect(cognigy.input.invite).toMatchObject({ success: true });
  const parsed = await parseMessage(server().messages.at(-1)!.raw);
  expect(parsed.header("x-ticket-id")).toBe("4711");
  expect(parsed.attachments.find((part) => part.mimeType === "text/calendar")).toMatchObject({ method: "REQUEST" });
});

it.each([
  ["inReplyTo", { inReplyTo: "not a message id" }],
  ["references", { references: "<a@example.com> nonsense" }],
  ["customHeaders", { customHeaders: { Bcc: "spy@example.com" } }],
  ["customHeaders", { customHeaders: { "X-Ticket-Id": "1\r\nBcc: spy@example.com" } }],
  ["calendarEvent", { calendarEvent: "BEGIN:VCALENDAR\r\nEND:VCALENDAR" }],
  ["calendarMethod", { calendarEvent: INVITE.replace("VERSION:2.0", "METHOD:CANCEL\r\nVERSION:2.0") }],
])("refuses a bad %s before connecting: stored configuration error, nothing received, flow stopped", async (field, extra) => {
  const cognigy = cognigyApiStandIn();
  const before = server().messages.length;
  await runSendSmtpEmail(cognigy.api, config({ ...extra, storeLocation: "input", inputKey: "mailResult", stopOnError: true }));
  expect(cognigy.input.mailResult).toMatchObject({ success: false, error: { code: "configuration", field } });
  expect(cognigy.stopped).toBe(true);
  expect(server().messages.length).toBe(before);
});
