import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { TLS_FIXTURES_DIR } from "../support/tlsFixtures";

const root = join(__dirname, "..", "..");
const run = promisify(execFile);
const MAILBOX = "bundle@example.com";
const PASSWORD = "bundle-loading-password";

/**
 * What a fresh process loads for one send: build/module.js is one bundle, and the packages only some
 * sends need stay unloaded until a send needs them.
 */
describe("the bundled build/module.js in a fresh process", () => {
  let dir: string;
  let bundle: string;
  let server: SmtpTestServer;

  beforeAll(async () => {
    mkdirSync(join(root, "tmp"), { recursive: true });
    // Inside the project, so the external packages resolve from its node_modules; not build/, which other tests replace.
    dir = mkdtempSync(join(root, "tmp", "bundle-loading-"));
    bundle = join(dir, "module.js");
    await run("node", ["scripts/bundle.mjs", "--outfile", bundle], { cwd: root });
    server = await startSmtpTestServer({ security: "starttls", auth: { users: { [MAILBOX]: PASSWORD }, methods: ["PLAIN", "LOGIN"] } });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs one Send SMTP Email in a child process; returns the stored result and the packages it loaded. */
  async function sendInFreshProcess(extra: Record<string, unknown>): Promise<{ result: { success: boolean }; packages: string[] }> {
    const config = {
      emailService: "custom",
      host: server.host,
      port: server.port,
      security: "starttls",
      authMethod: "basic",
      basicConnection: { username: MAILBOX, password: PASSWORD },
      to: "jane@example.com",
      subject: "Bundle loading",
      content: "<p>Hello</p>",
      storeLocation: "input",
      inputKey: "smtpResult",
      ...extra,
    };
    const script = `
      const node = require(${JSON.stringify(bundle)}).default.nodes.find((n) => n.type === "sendSmtpEmail");
      const input = {};
      const api = { addToInput: (k, v) => { input[k] = v; }, addToContext() {}, log() {}, stopExecution() {} };
      node.function({ cognigy: { api }, config: ${JSON.stringify(config)}, childConfigs: [], nodeId: "n" }).then(() => {
        const packages = new Set(Object.keys(require.cache).map((f) => (/node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(f) || [])[1]).filter(Boolean));
        console.log(JSON.stringify({ result: input.smtpResult, packages: [...packages].sort() }));
        process.exit(0);
      });`;
    const { stdout } = await run("node", ["-e", script], { cwd: root, env: { ...process.env, NODE_OPTIONS: "", NODE_EXTRA_CA_CERTS: join(TLS_FIXTURES_DIR, "ca.pem") } });
    return JSON.parse(stdout) as { result: { success: boolean }; packages: string[] };
  }

  it("sends with Basic Auth and a custom text loading nodemailer alone: no zod, axios, html-to-text, htmlparser2, ical.js or mime-types from node_modules", async () => {
    const { result, packages } = await sendInFreshProcess({ text: "Hello" });
    expect(result.success).toBe(true);
    expect(packages).toEqual(["nodemailer"]);
  }, 60_000);

  it("loads html-to-text when a send needs the text generated", async () => {
    const { result, packages } = await sendInFreshProcess({});
    expect(result.success).toBe(true);
    expect(packages).toEqual(expect.arrayContaining(["html-to-text", "nodemailer"]));
    for (const unneeded of ["axios", "ical.js", "mime-types", "zod"]) expect(packages).not.toContain(unneeded);
  }, 60_000);
});
