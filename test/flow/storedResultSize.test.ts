/**
 * Cognigy refuses an API argument above about 62 KB, and storing a result is an API call: every stored
 * result must fit, however many recipients a mail had or however long a server's reply was.
 */
import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import { fitForStorage } from "../../src/result/fitForStorage";
import type { SuccessResult } from "../../src/result/sendResult";
import { MAX_STORED_BYTES, STORED_LIST_LIMIT, storedBytes } from "../../src/result/storageLimit";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { basicAuth, message, serverConfig, useFlowServer } from "./flowHelpers";

const addresses = (count: number, local = (index: number) => `recipient${index}`) => Array.from({ length: count }, (_, index) => `${local(index)}@example.com`);

const successResult = (to: string[], response = "250 2.0.0 OK"): SuccessResult => ({
  success: true,
  transport: "smtp",
  messageId: "<id@example.com>",
  accepted: to,
  rejected: [],
  response,
  envelope: { from: "bot@example.com", to },
  durationMs: 10,
});

describe("a stored Send SMTP Email result", () => {
  const server = useFlowServer();

  it("keeps the first 100 recipients of a long list and gives the full count", async () => {
    const to = addresses(150);
    const cognigy = cognigyApiStandIn();
    await runSendSmtpEmail(cognigy.api, { ...serverConfig(server()), ...basicAuth(), ...message, to: to.join(", "), storeLocation: "input", inputKey: "mail" });
    const stored = cognigy.input.mail as SuccessResult & { acceptedCount: number; envelope: { toCount: number } };
    expect(stored.success).toBe(true);
    expect(server().messages.at(-1)?.envelope.rcptTo).toHaveLength(150);
    expect(stored.accepted).toEqual(to.slice(0, STORED_LIST_LIMIT));
    expect(stored.acceptedCount).toBe(150);
    expect(stored.envelope.to).toEqual(to.slice(0, STORED_LIST_LIMIT));
    expect(stored.envelope.toCount).toBe(150);
    expect(stored.rejected).toEqual([]);
    expect(stored).not.toHaveProperty("rejectedCount");
  });
});

describe("fitForStorage", () => {
  it("brings a 10,000-recipient result from hundreds of KB under the limit", () => {
    const result = successResult(addresses(10_000));
    expect(storedBytes(result)).toBeGreaterThan(300_000);
    const fitted = fitForStorage(result) as SuccessResult & { acceptedCount: number; envelope: { toCount: number } };
    expect(storedBytes(fitted)).toBeLessThanOrEqual(MAX_STORED_BYTES);
    expect(fitted.accepted).toHaveLength(100);
    expect(fitted.acceptedCount).toBe(10_000);
    expect(fitted.envelope.toCount).toBe(10_000);
    expect(fitted.messageId).toBe("<id@example.com>");
  });

  it("cuts a long server reply or message, marking the cut", () => {
    const fitted = fitForStorage(successResult(["a@example.com"], `250 ${"x".repeat(10_000)}`)) as SuccessResult;
    expect(fitted.response).toHaveLength(2_001);
    expect(fitted.response.endsWith("…")).toBe(true);
  });

  it("still fits when even 100 addresses are too long, by keeping fewer", () => {
    const long = addresses(300, (index) => `${"l".repeat(230)}${index}`);
    const result = { ...successResult(long), rejected: long };
    const fitted = fitForStorage(result) as SuccessResult & { acceptedCount: number; rejectedCount: number };
    expect(storedBytes(fitted)).toBeLessThanOrEqual(MAX_STORED_BYTES);
    expect(fitted.accepted.length).toBeLessThan(100);
    expect(fitted.acceptedCount).toBe(300);
    expect(fitted.rejectedCount).toBe(300);
  });

  it("leaves an ordinary result exactly as it was", () => {
    const result = successResult(addresses(3));
    expect(fitForStorage(result)).toEqual(result);
  });
});
