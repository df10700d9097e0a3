import type { INodeFunctionBaseParams } from "@cognigy/extension-tools";
import type { INodeExecutionAPI } from "@cognigy/extension-tools/build/interfaces/descriptor";
import extension from "../../src/module";
import { closeAllTransports } from "../../src/delivery";
import type { CognigyApiStandIn } from "../support/cognigyApiStandIn";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { testCa } from "../support/tlsFixtures";
import { TEST_SECRETS } from "../support/testSecrets";

export const MAILBOX = "bot@flow.example";

/** Raw node config as Cognigy hands it over, for a custom server reached with the test CA. */
export function serverConfig(server: SmtpTestServer, security: "tls" | "starttls" | "none" = "tls"): Record<string, unknown> {
  return {
    emailService: "custom",
    host: server.host,
    port: server.port,
    security,
    caCertificate: testCa.toString("utf8"),
    timeoutSeconds: 5,
  };
}

export const basicAuth = (password: string = TEST_SECRETS.password) => ({
  authMethod: "basic",
  basicConnection: { username: MAILBOX, password },
});

export const message = {
  to: "jane@example.com",
  subject: "Hello",
  content: "<p>Hello Jane</p>",
};

/** A TLS SMTP server with MAILBOX's login for the enclosing describe block (or file); call the result for the server. */
export function useFlowServer(): () => SmtpTestServer {
  let server: SmtpTestServer | undefined;
  beforeAll(async () => {
    server = await startSmtpTestServer({ security: "tls", auth: { users: { [MAILBOX]: TEST_SECRETS.password } } });
  });
  afterAll(async () => {
    await closeAllTransports();
    await server?.close();
  });
  return () => {
    if (!server) throw new Error("the flow server starts in beforeAll");
    return server;
  };
}

/** Runs a node the way Cognigy does: through its descriptor's function, with the execution objects. */
export async function executeNode(type: string, standIn: CognigyApiStandIn, config: Record<string, unknown>): Promise<void> {
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
