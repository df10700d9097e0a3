import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import extension from "../../src/module";
import { marketplaceEntryProblems } from "./cognigyMarketplaceSchema";

const root = join(__dirname, "..", "..");
const readJson = (name: string) => JSON.parse(readFileSync(join(root, name), "utf8")) as Record<string, unknown>;

/** One entry of Cognigy's marketplace list, as its schema (test/descriptors/cognigyMarketplaceSchema.ts) defines it. */
interface MarketplaceEntry {
  name: string;
  label: string;
  version: string;
  downloadUrl: string;
  infoUrl: string;
  description: string;
  longDescription: string;
  tags: string[];
  icon: string;
  nodes: Array<{ type: string; defaultLabel: string; description: string; tags: string[] }>;
}

const defaultText = (text: string | { default: string }) => (typeof text === "string" ? text : text.default);

describe("extension.json", () => {
  const json = readJson("extension.json");
  const metadata = json as unknown as MarketplaceEntry;
  const pkg = readJson("package.json");

  it("follows Cognigy's marketplace entry schema: required fields, no others, within its length limits", () => {
    expect(marketplaceEntryProblems(json)).toEqual([]);
  });

  it("would be refused by that schema with the old top-level defaultLabel, an unknown property or an overlong text", () => {
    const { label, ...withoutLabel } = metadata;
    expect(marketplaceEntryProblems({ ...withoutLabel, defaultLabel: label })).toEqual([
      '/: should NOT have additional properties "defaultLabel"',
      "/: should have required property 'label'",
    ]);
    expect(marketplaceEntryProblems({ ...metadata, connections: [] })).toEqual(['/: should NOT have additional properties "connections"']);
    const nodes = metadata.nodes.map((node, index) => (index === 1 ? { ...node, description: "x".repeat(1001), summary: "" } : node));
    expect(marketplaceEntryProblems({ ...metadata, nodes, longDescription: "x".repeat(2001) })).toEqual([
      "/longDescription: should NOT be longer than 2000 characters",
      '/nodes/1(buildMime): should NOT have additional properties "summary"',
      "/nodes/1(buildMime)/description: should NOT be longer than 1000 characters",
    ]);
  });

  it("has the same name and version as package.json", () => {
    expect(metadata.name).toBe(pkg.name);
    expect(metadata.version).toBe(pkg.version);
  });

  it("has the module's label as its label (label, not defaultLabel, at the top level)", () => {
    expect(metadata.label).toBe(extension.options.label);
    expect(json).not.toHaveProperty("defaultLabel");
  });

  it("describes exactly the nodes the module exports", () => {
    const described = metadata.nodes.map((node) => node.type).sort();
    expect(described).toEqual(extension.nodes.map((node) => node.type).sort());
  });

  it("gives every node a defaultLabel, description and tags that match its descriptor", () => {
    for (const node of metadata.nodes) {
      const descriptor = extension.nodes.find((candidate) => candidate.type === node.type)!;
      expect(node.defaultLabel).toBe(defaultText(descriptor.defaultLabel));
      expect(node.description.length).toBeGreaterThan(20);
      expect(node.tags).toEqual(descriptor.tags);
    }
  });

  it("points at files the build really produces: the icon, the README and the tarball of this version", () => {
    const icon = readFileSync(join(root, metadata.icon));
    expect(icon.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(existsSync(join(root, metadata.infoUrl))).toBe(true);
    expect(metadata.downloadUrl).toBe(`${String(pkg.name)}-${String(pkg.version)}.tar.gz`);
  });
});

describe("the module", () => {
  it("exports the nodes and connections Cognigy loads", () => {
    expect(extension.nodes.map((node) => node.type)).toEqual(["sendSmtpEmail", "buildMime", "verifySmtpConnection"]);
    expect(extension.connections.map((connection) => connection.type)).toEqual(["smtp-basic-auth", "smtp-oauth2", "smtp-oauth2-client-credentials"]);
    expect(extension.connections.map((connection) => connection.fields.map((field) => field.fieldName))).toEqual([
      ["username", "password"],
      ["user", "clientId", "clientSecret", "accessToken", "refreshToken", "expiryDate", "accessUrl", "tlsOption"],
      ["tokenEndpointUrl", "clientId", "clientSecret", "scope", "user"],
    ]);
    expect(extension.options.label).toBe("SMTP Email");
  });
});

describe("README.md, as Cognigy shows it on the extension's page", () => {
  const lines = readFileSync(join(root, "README.md"), "utf8").split("\n");
  const opening = lines.slice(0, 15).join("\n");

  it("names every node and connection before anything else", () => {
    const firstSection = lines.findIndex((line) => line.startsWith("## "));
    const intro = lines.slice(0, firstSection).join("\n");
    for (const node of extension.nodes) {
      const label = typeof node.defaultLabel === "string" ? node.defaultLabel : node.defaultLabel.default;
      expect(intro).toContain(label);
    }
    for (const connection of extension.connections) expect(intro).toContain(connection.type);
  });

  it("still gives a newcomer the two set-up commands within its first 15 lines", () => {
    expect(opening).toContain("npm ci && npm run demo");
    expect(opening).toMatch(/^npm test\b/m);
  });
});
