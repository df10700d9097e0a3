/** Maximum Recipients: a chat user's list of addresses cannot make the bot mail strangers. */
import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import { closeAllTransports, resetCaches } from "../../src/delivery";
import { cognigyApiStandIn } from "../support/cognigyApiStandIn";
import { startGraphStandIn, type GraphStandIn } from "../support/graphStandIn";
import { TEST_SECRETS } from "../support/testSecrets";
import { startTokenEndpoint, type TokenEndpoint } from "../support/tokenEndpoint";
import { basicAuth, MAILBOX, message, serverConfig, useFlowServer } from "./flowHelpers";

const server = useFlowServer();
let tokens: TokenEndpoint;
let graph: GraphStandIn;

beforeAll(async () => {
  tokens = await startTokenEndpoint({ clients: { "graph-app": TEST_SECRETS.clientSecret }, jwt: { roles: ["Mail.Send"] } });
  graph = await startGraphStandIn({ isValidToken: tokens.isValidToken, mailboxes: { [MAILBOX]: "licensed" } });
});
afterEach(() => resetCaches());
afterAll(async () => {
  await closeAllTransports();
  await Promise.all([tokens.close(), graph.close()]);
});

const send = (extra: Record<string, unknown>) => runSendSmtpEmail(cognigyApiStandIn().api, { ...serverConfig(server()), ...basicAuth(), ...message, ...extra });
const addresses = (count: number) => Array.from({ length: count }, (_, index) => `stranger${index}@example.com`).join(", ");

describe("Maximum Recipients", () => {
  it("refuses more recipients than allowed (To, CC and BCC together), naming the field and the count, before connecting", async () => {
    const before = server().connections;
    const result = await send({ to: "a@example.com, b@example.com", cc: "c@example.com", bcc: "d@example.com", maxRecipients: 3 });
    expect(result).toMatchObject({ success: false, error: { code: "configuration", field: "maxRecipients", message: expect.stringContaining("4 recipients") } });
    if (!result.success) expect(result.error.message).toContain("(3)");
    expect(server().connections).toBe(before);
  });

  it("sends at the limit, and counts an address listed twice once", async () => {
    expect(await send({ to: "a@example.com, b@example.com", cc: "c@example.com", maxRecipients: 3 })).toMatchObject({ success: true });
    expect(await send({ to: "jane@example.com, Jane@Example.com", bcc: "jane@example.com", maxRecipients: 1 })).toMatchObject({ success: true });
  });

  it("one address typed by the user with the limit at 1: a list is refused", async () => {
    const typed = "jane@example.com, john@example.com, jim@example.com";
    expect(await send({ to: typed, maxRecipients: 1 })).toMatchObject({ success: false, error: { field: "maxRecipients" } });
  });

  it("a node saved before the field existed (no value) keeps sending to any number", async () => {
    expect(await send({ to: addresses(120) })).toMatchObject({ success: true, accepted: expect.arrayContaining(["stranger119@example.com"]) });
  });

  it.each([0, -1, 1.5, "many"])("%s is a configuration error naming the field", async (value) => {
    expect(await send({ maxRecipients: value })).toMatchObject({ success: false, error: { code: "configuration", field: "maxRecipients" } });
  });

  it("applies to Microsoft Graph too: nothing is requested", async () => {
    const before = { graph: graph.requests.length, tokens: tokens.requestCount };
    const result = await runSendSmtpEmail(cognigyApiStandIn().api, {
      delivery: "graph",
      graphEndpoint: graph.url,
      authMethod: "oauth2ClientCredentials",
      clientCredentialsConnection: { tokenEndpointUrl: tokens.url, clientId: "graph-app", clientSecret: TEST_SECRETS.clientSecret, user: MAILBOX },
      ...message,
      to: addresses(51),
      maxRecipients: 50,
    });
    expect(result).toMatchObject({ success: false, error: { code: "configuration", field: "maxRecipients", message: expect.stringContaining("51 recipients") } });
    expect(graph.requests.length).toBe(before.graph);
    expect(tokens.requestCount).toBe(before.tokens);
  });
});
