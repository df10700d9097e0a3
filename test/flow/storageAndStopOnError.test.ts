import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { TEST_SECRETS } from "../support/testSecrets";
import { basicAuth, MAILBOX, message, serverConfig, useFlowServer } from "./flowHelpers";

const server = useFlowServer();

const config = (extra: Record<string, unknown> = {}) => ({ ...serverConfig(server()), ...basicAuth(), ...message, ...extra });

describe("result storage", () => {
  it("stores the success result in the Input object", async () => {
    const cognigy = cognigyApiStandIn();
    await runSendSmtpEmail(cognigy.api, config({ storeLocation: "input", inputKey: "mail.result" }));
    const stored = (cognigy.input.mail as { result: Record<string, unknown> }).result;
    expect(stored).toEqual({
      success: true,
      transport: "smtp",
      messageId: expect.stringMatching(/^<.+@flow\.example>$/),
      accepted: ["jane@example.com"],
      rejected: [],
      response: expect.stringMatching(/^250 /),
      envelope: { from: MAILBOX, to: ["jane@example.com"] },
      durationMs: expect.any(Number),
    });
    expect(JSON.stringify(stored).length).toBeLessThan(2000);
    expect(cognigy.stopped).toBe(false);
  });

  it("stores it in the Context object with the simple mode", async () => {
    const cognigy = cognigyApiStandIn();
    await runSendSmtpEmail(cognigy.api, config({ storeLocation: "context", contextKey: "emailResult" }));
    expect(cognigy.context.emailResult).toMatchObject({ success: true });
    expect(cognigy.calls).toContainEqual(expect.objectContaining({ kind: "addToContext", key: "emailResult", mode: "simple" }));
  });

  it("stores nothing by default", async () => {
    const cognigy = cognigyApiStandIn();
    await runSendSmtpEmail(cognigy.api, config());
    expect(cognigy.calls.filter((call) => call.kind === "addToInput" || call.kind === "addToContext")).toEqual([]);
    expect(cognigy.logs("info")).toEqual([expect.stringMatching(/^Send SMTP Email: sent </)]);
  });
});

describe("Stop on Error", () => {
  const failing = (stopOnError: boolean) => config({ ...basicAuth(TEST_SECRETS.wrongPassword), storeLocation: "input", inputKey: "mailResult", stopOnError });

  it("stores and logs the failure, then halts the flow", async () => {
    const cognigy = cognigyApiStandIn();
    await runSendSmtpEmail(cognigy.api, failing(true));
    expect(cognigy.input.mailResult).toEqual({
      success: false,
      // The message existed when the login failed: its Message-ID is stored with the failure.
      messageId: expect.stringMatching(/^<.+@flow\.example>$/),
      error: expect.objectContaining({ code: "authentication", message: expect.any(String), hint: expect.any(String), responseCode: 535 }),
    });
    expect(cognigy.logs("error")).toHaveLength(1);
    expect(cognigy.stopped).toBe(true);
    // Stored before the flow halts, so a later node or the handover can still read it.
    const kinds = cognigy.calls.map((call) => call.kind);
    expect(kinds.indexOf("addToInput")).toBeLessThan(kinds.indexOf("stopExecution"));
  });

  it("lets the flow continue when off, with the failure stored", async () => {
    const cognigy = cognigyApiStandIn();
    await runSendSmtpEmail(cognigy.api, failing(false));
    expect(cognigy.input.mailResult).toMatchObject({ success: false, error: { code: "authentication" } });
    expect(cognigy.stopped).toBe(false);
  });

  it("treats a broken configuration the same way, naming the field", async () => {
    const cognigy = cognigyApiStandIn();
    await runSendSmtpEmail(cognigy.api, config({ to: "", storeLocation: "context", contextKey: "r", stopOnError: true }));
    expect(cognigy.context.r).toMatchObject({ success: false, error: { code: "configuration", field: "to" } });
    expect(cognigy.stopped).toBe(true);
  });

  it("never leaks a raw library error object into the stored result", async () => {
    const cognigy = cognigyApiStandIn();
    await runSendSmtpEmail(cognigy.api, failing(false));
    const stored = cognigy.input.mailResult as { error: Record<string, unknown> };
    expect(Object.keys(stored.error).sort()).toEqual(expect.arrayContaining(["code", "hint", "message"]));
    for (const value of Object.values(stored.error)) expect(["string", "number"]).toContain(typeof value);
  });
});
