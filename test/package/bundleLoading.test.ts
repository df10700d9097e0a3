import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { startSmtpTestServer, type SmtpTestServer } from "../support/smtpTestServer";
import { TLS_FIXTURES_DIR } from "../support/tlsFixtures";

const root = join(__dirname, "..", "..");
const run = promisify(execFile);
const MAILBOX = "bundle@example.com";
const PASSWORD = "bundle-loading-password";

/**
 * What a fresh process loads for one send: build/module.js is one bundle; nodemailer's client and the
 * HTML converter come from the files beside it (build/nodemailer.js, build/html.js), read only when a
 * send needs them; the packages only some sends need stay unloaded until then.
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

  interface FreshSend {
    result: { success: boolean };
    /** Packages loaded from node_modules. */
    packages: string[];
    /** Files of the bundle's directory loaded, e.g. ["module.js", "nodemailer.js"]. */
    bundleFiles: string[];
    /** What the preamble left in globalThis.probe. */
    probe?: unknown;
  }

  /** Runs one Send SMTP Email in a child process; returns the stored result and what it loaded. */
  async function sendInFreshProcess(extra: Record<string, unknown>, preamble = ""): Promise<FreshSend> {
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
      ${preamble}
      const node = require(${JSON.stringify(bundle)}).default.nodes.find((n) => n.type === "sendSmtpEmail");
      const input = {};
      const api = { addToInput: (k, v) => { input[k] = v; }, addToContext() {}, log() {}, stopExecution() {} };
      node.function({ cognigy: { api }, config: ${JSON.stringify(config)}, childConfigs: [], nodeId: "n" }).then(() => {
        const files = Object.keys(require.cache);
        const packages = new Set(files.map((f) => (/node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(f) || [])[1]).filter(Boolean));
        const bundleFiles = files.filter((f) => f.startsWith(${JSON.stringify(dir + "/")})).map((f) => f.slice(${dir.length + 1}));
        console.log(JSON.stringify({ result: input.smtpResult, packages: [...packages].sort(), bundleFiles: bundleFiles.sort(), probe: globalThis.probe }));
        process.exit(0);
      });`;
    const { stdout } = await run("node", ["-e", script], { cwd: root, env: { ...process.env, NODE_OPTIONS: "", NODE_EXTRA_CA_CERTS: join(TLS_FIXTURES_DIR, "ca.pem") } });
    return JSON.parse(stdout) as FreshSend;
  }

  it("sends with Basic Auth and a custom text from the bundle and build/nodemailer.js alone: nothing from node_modules, no HTML converter", async () => {
    const { result, packages, bundleFiles } = await sendInFreshProcess({ text: "Hello" });
    expect(result.success).toBe(true);
    expect(bundleFiles).toEqual(["module.js", "nodemailer.js"]);
    expect(packages).toEqual([]);
  }, 60_000);

  it("loads build/html.js when a send needs the text generated, and still nothing from node_modules", async () => {
    const { result, packages, bundleFiles } = await sendInFreshProcess({});
    expect(result.success).toBe(true);
    expect(bundleFiles).toEqual(["html.js", "module.js", "nodemailer.js"]);
    expect(packages).toEqual([]);
  }, 60_000);

  it("sends a Base64 attachment with the vendored MIME builder, loading only mime-types (with its database) from node_modules", async () => {
    const { result, packages, bundleFiles } = await sendInFreshProcess({
      text: "Hello",
      attachmentType: "base64",
      attachmentFileName: "report.pdf",
      attachmentBase64: Buffer.from("%PDF-1.4 bundle test").toString("base64"),
    });
    expect(result).toMatchObject({ success: true });
    expect(bundleFiles).toEqual(["module.js", "nodemailer.js"]);
    expect(packages).toEqual(["mime-db", "mime-types"]);
    const received = server.messages.at(-1)!.raw.toString("latin1");
    expect(received).toContain("filename=report.pdf");
    expect(received).toContain(Buffer.from("%PDF-1.4 bundle test").toString("base64"));
  }, 60_000);

  it("opens the TCP connection before it reads nodemailer's client: the server has accepted it by the time build/nodemailer.js is required", async () => {
    // The child, on requiring build/nodemailer.js, waits (blocked) until the server has accepted a
    // connection: it can only happen if the connect call was made before the client was read.
    const flag = join(dir, "accepted");
    const before = server.connections;
    const watch = setInterval(() => {
      if (server.connections > before) writeFileSync(flag, "");
    }, 1);
    try {
      const preamble = `
        const Module = require("node:module");
        const fs = require("node:fs");
        const load = Module._load;
        Module._load = function (request) {
          if (request === "./nodemailer.js" && globalThis.probe === undefined) {
            const until = Date.now() + 5000;
            while (!fs.existsSync(${JSON.stringify(flag)}) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
            globalThis.probe = { acceptedBeforeClientLoaded: fs.existsSync(${JSON.stringify(flag)}) };
          }
          return load.apply(this, arguments);
        };`;
      const { result, probe } = await sendInFreshProcess({ text: "Hello" }, preamble);
      expect(result.success).toBe(true);
      expect(probe).toEqual({ acceptedBeforeClientLoaded: true });
    } finally {
      clearInterval(watch);
    }
  }, 60_000);
});
