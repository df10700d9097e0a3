/** Test SMTP Connection with Delivery Microsoft Graph: the token is fetched and read, nothing is sent. */
import { runVerifySmtpConnection } from "../../src/execution/runVerifySmtpConnection";
import { closeAllTransports, resetCaches } from "../../src/delivery";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { startGraphStandIn, type GraphStandIn } from "../support/graphStandIn";
import { TEST_SECRETS } from "../support/testSecrets";
import { startTokenEndpoint, type TokenEndpoint } from "../support/tokenEndpoint";
import { MAILBOX } from "./flowHelpers";

let tokens: TokenEndpoint;
let graph: GraphStandIn;

beforeAll(async () => {
  tokens = await startTokenEndpoint({ clients: { "graph-app": TEST_SECRETS.clientSecret } });
  graph = await startGraphStandIn({ isValidToken: tokens.isValidToken, mailboxes: { [MAILBOX]: "licensed" } });
});
afterEach(() => resetCaches());
afterAll(async () => {
  await closeAllTransports();
  await Promise.all([tokens.close(), graph.close()]);
});

const config = (scope?: string) => ({
  delivery: "graph",
  graphEndpoint: graph.url,
  authMethod: "oauth2ClientCredentials",
  clientCredentialsConnection: { tokenEndpointUrl: tokens.url, clientId: "graph-app", clientSecret: TEST_SECRETS.clientSecret, user: MAILBOX, ...(scope && { scope }) },
  timeoutSeconds: 5,
});

async function check(extra: Record<string, unknown> = {}, scope?: string) {
  const cognigy = cognigyApiStandIn();
  await runVerifySmtpConnection(cognigy.api, { ...config(scope), ...extra });
  return { cognigy, stored: cognigy.input.smtpConnectionTest as Record<string, unknown> };
}

describe("Test SMTP Connection through Microsoft Graph", () => {
  it("says the token holds Mail.Send, and sends nothing", async () => {
    tokens.jwt = { roles: ["Mail.Send", "User.Read.All"] };
    const { stored, cognigy } = await check();
    expect(stored).toEqual({
      success: true,
      transport: "graph",
      secure: false,
      authenticated: true,
      server: new URL(graph.url).host,
      mailbox: MAILBOX,
      roles: ["Mail.Send", "User.Read.All"],
      mailSendPermission: true,
    });
    expect(graph.requests).toHaveLength(0);
    expect(cognigy.logs("info")[0]).toMatch(/Mail\.Send in the token/);
  });

  it("warns when the token holds no Mail.Send role (RBAC for Applications may still grant it)", async () => {
    tokens.jwt = { roles: [] };
    const { stored, cognigy } = await check();
    expect(stored).toMatchObject({ success: true, roles: [], mailSendPermission: false, warning: expect.stringMatching(/admin consent/) });
    expect(cognigy.logs("warn")).toHaveLength(1);
  });

  it("fails for a token of another audience, naming the Graph scope", async () => {
    tokens.jwt = { roles: ["Mail.Send"] };
    const { stored, cognigy } = await check({ stopOnError: true }, "https://outlook.office365.com/.default");
    expect(stored).toMatchObject({ success: false, error: { code: "authentication", field: "clientCredentialsConnection", hint: expect.stringContaining(`${graph.url}/.default`) } });
    expect(cognigy.stopped).toBe(true);
  });

  it("an opaque token cannot be read: success without a permission verdict", async () => {
    tokens.jwt = undefined;
    const { stored } = await check();
    expect(stored).toEqual({ success: true, transport: "graph", secure: false, authenticated: true, server: new URL(graph.url).host, mailbox: MAILBOX });
  });

  it("a token endpoint refusal is a token error", async () => {
    const { stored } = await check({ clientCredentialsConnection: { ...config().clientCredentialsConnection, clientSecret: TEST_SECRETS.wrongPassword } });
    expect(stored).toMatchObject({ success: false, server: new URL(graph.url).host, error: { code: "token" } });
  });
});
