import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { basicAuth, executeNode, message, serverConfig, useFlowServer } from "./flowHelpers";

const server = useFlowServer();

describe("the node functions Cognigy calls", () => {
  it("Build MIME, then Send SMTP Email attaching its part, then Test SMTP Connection", async () => {
    const cognigy = cognigyApiStandIn();
    await executeNode("buildMime", cognigy, { contentType: "text/csv", fileName: "data.csv", contentSource: "text", contentText: "a,b\n1,2\n", storeLocation: "input", inputKey: "mimePart" });
    await executeNode("sendSmtpEmail", cognigy, {
      ...serverConfig(server()),
      ...basicAuth(),
      ...message,
      attachmentType: "mime",
      attachmentMime: cognigy.input.mimePart,
      storeLocation: "context",
      contextKey: "mail",
    });
    await executeNode("verifySmtpConnection", cognigy, { ...serverConfig(server()), ...basicAuth() });
    expect(cognigy.context.mail).toMatchObject({ success: true, accepted: ["jane@example.com"] });
    expect(cognigy.input.smtpConnectionTest).toMatchObject({ success: true, authenticated: true });
    expect(server().messages.at(-1)?.raw.toString("latin1")).toContain("filename=data.csv");
  });
});
