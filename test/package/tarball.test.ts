import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { list, extract } from "tar";

const root = join(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string };
const tarball = join(root, `${pkg.name}-${pkg.version}.tar.gz`);
const run = (command: string, args: string[], cwd: string) => execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** The uploaded package, built as `npm run build` builds it, then installed the way Cognigy installs it. */
describe("the Cognigy upload tarball", () => {
  let unpacked: string;
  const entries: string[] = [];

  beforeAll(async () => {
    run("npm", ["run", "transpile"], root);
    run("node", ["scripts/pack.mjs"], root);
    await list({ file: tarball, onReadEntry: (entry) => entries.push(entry.path) });
    unpacked = mkdtempSync(join(tmpdir(), "smtp-email-tarball-"));
    await extract({ file: tarball, cwd: unpacked });
  }, 180_000);

  afterAll(() => {
    if (unpacked) rmSync(unpacked, { recursive: true, force: true });
  });

  it("is really gzip-compressed", () => {
    expect([...readFileSync(tarball).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
  });

  it("holds exactly build/, package.json, package-lock.json, README.md and icon.png at its root", () => {
    const topLevel = new Set(entries.map((entry) => entry.split("/")[0]));
    expect([...topLevel].sort()).toEqual(["README.md", "build", "icon.png", "package-lock.json", "package.json"]);
    // The files beside module.js that a send reads on first use (scripts/bundle.mjs).
    expect(entries).toEqual(expect.arrayContaining(["build/module.js", "build/nodemailer.js", "build/html.js"]));
    expect(entries.some((entry) => entry.endsWith(".test.js"))).toBe(false);
  });

  it("carries a 64x64 PNG icon", () => {
    const png = readFileSync(join(unpacked, "icon.png"));
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([64, 64]);
  });

  it(
    "loads with production dependencies alone",
    () => {
      run("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], unpacked);
      const loaded = JSON.parse(
        run(
          "node",
          ["-e", "const e = require('./build/module.js').default; console.log(JSON.stringify({ nodes: e.nodes.map((n) => n.type), connections: e.connections.map((c) => c.type) }))"],
          unpacked,
        ),
      ) as { nodes: string[]; connections: string[] };
      expect(loaded.nodes).toEqual(["sendSmtpEmail", "buildMime", "verifySmtpConnection"]);
      expect(loaded.connections).toEqual(["smtp-basic-auth", "smtp-oauth2", "smtp-oauth2-client-credentials"]);
      // Every entry point the vendor files serve loads from the tarball as it is.
      const vendored = JSON.parse(
        run(
          "node",
          ["-e", "const out = {}; for (const file of ['nodemailer.js', 'html.js']) { const v = require('./build/' + file); for (const k of Object.keys(v)) out[k] = typeof v[k]; } console.log(JSON.stringify(out))"],
          unpacked,
        ),
      ) as Record<string, string>;
      expect(Object.keys(vendored).sort()).toEqual([
        "html-to-text",
        "htmlparser2",
        "nodemailer/lib/mailer",
        "nodemailer/lib/mime-funcs",
        "nodemailer/lib/mime-node",
        "nodemailer/lib/smtp-connection",
        "nodemailer/lib/smtp-pool",
        "nodemailer/lib/xoauth2",
      ]);
      for (const kind of Object.values(vendored)) expect(["object", "function"]).toContain(kind);
    },
    180_000,
  );
});
