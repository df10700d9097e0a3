import type { INodeFunctionBaseParams } from "@cognigy/extension-tools";
import type { INodeExecutionAPI } from "@cognigy/extension-tools/build/interfaces/descriptor";
import extension from "../../src/module";
import { closeAllTransports } from "../../src/transport";
import { cognigyApiStandIn, type CognigyApiStandIn } from "../support/cognigyApiStandIn";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { TEST_SECRETS } from "../support/testSecrets";
import { basicAuth, MAILBOX, message, serverConfig } from "./flowHelpers";

let server: SmtpTestServer;
beforeAll(async () => {
  server = await startSmtpTestServer({ security: "tls", auth: { users: { [MAILBOX]: TEST_SECRETS.password } } });
});
afterAll(async () => {
  await closeAllTransports();
  await server.close();
});

/** Runs a node the way Cognigy does: through its descriptor's function, with the execution objects. */
async function execute(type: string, standIn: CognigyApiStandIn, config: Record<string, unknown>): Promise<void> {
  const descriptor = extension.nodes.find((node) => node.type === type);
  if (!descriptor?.function) throw new Error(`no function for ${type}`);
  const params: INodeFunctionBaseParams = {
    cognigy: { api: standIn.api as INodeExecutionAPI, input: standIn.input, context: standIn.context, profile: {} },
    childConfigs: [],
    config,
    nodeId: `${type}-node`,
  };
  await descriptor.function(params);
}

describe("the node functions Cognigy calls", () => {
  it("Build MIME, then Send SMTP Email attaching its part, then Test SMTP Connection", async () => {
    const cognigy = cognigyApiStandIn();
    await execute("buildMime", cognigy, { contentType: "text/csv", fileName: "data.csv", contentSource: "text", contentText: "a,b\n1,2\n", storeLocation: "input", inputKey: "mimePart" });
    await execute("sendSmtpEmail", cognigy, {
      ...serverConfig(server),
      ...basicAuth(),
      ...message,
      attachmentType: "mime",
      attachmentMime: cognigy.input.mimePart,
      storeLocation: "context",
      contextKey: "mail",
    });
    await execute("verifySmtpConnection", cognigy, { ...serverConfig(server), ...basicAuth() });
    expect(cognigy.context.mail).toMatchObject({ success: true, accepted: ["jane@example.com"] });
    expect(cognigy.input.smtpConnectionTest).toMatchObject({ success: true, authenticated: true });
    expect(server.messages.at(-1)?.raw.toString("latin1")).toContain("filename=data.csv");
  });
});
