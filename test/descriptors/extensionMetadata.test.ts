import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import extension from "../../src/module";

const root = join(__dirname, "..", "..");
const readJson = (name: string) => JSON.parse(readFileSync(join(root, name), "utf8")) as Record<string, unknown>;

interface NodeMetadata {
  type: string;
  defaultLabel: string;
  description: string;
  tags: string[];
}

describe("extension.json", () => {
  const metadata = readJson("extension.json");
  const pkg = readJson("package.json");

  it("has the same name and version as package.json", () => {
    expect(metadata.name).toBe(pkg.name);
    expect(metadata.version).toBe(pkg.version);
  });

  it("describes exactly the nodes the module exports", () => {
    const described = (metadata.nodes as NodeMetadata[]).map((node) => node.type).sort();
    expect(described).toEqual(extension.nodes.map((node) => node.type).sort());
  });

  it("gives every node a defaultLabel, description and tags that match its descriptor", () => {
    for (const node of metadata.nodes as NodeMetadata[]) {
      const descriptor = extension.nodes.find((candidate) => candidate.type === node.type)!;
      const defaultLabel = descriptor.defaultLabel;
      expect(node.defaultLabel).toBe(typeof defaultLabel === "string" ? defaultLabel : defaultLabel.default);
      expect(node.description.length).toBeGreaterThan(20);
      expect(node.tags).toEqual(descriptor.tags);
    }
  });

  it("has the marketplace fields", () => {
    for (const key of ["defaultLabel", "description", "longDescription", "icon", "infoUrl", "downloadUrl"]) expect(typeof metadata[key]).toBe("string");
    expect(metadata).not.toHaveProperty("label");
    expect(metadata.defaultLabel).toBe(extension.options.label);
    expect(Array.isArray(metadata.tags)).toBe(true);
  });

  it("points at files the build really produces: the icon, the README and the tarball of this version", () => {
    const icon = readFileSync(join(root, metadata.icon as string));
    expect(icon.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(existsSync(join(root, metadata.infoUrl as string))).toBe(true);
    expect(metadata.downloadUrl).toBe(`${String(pkg.name)}-${String(pkg.version)}.tar.gz`);
  });

  it("keeps the texts within the marketplace's limits (label 200, description 1000 characters)", () => {
    expect((metadata.defaultLabel as string).length).toBeLessThanOrEqual(200);
    expect((metadata.description as string).length).toBeLessThanOrEqual(1000);
    for (const node of metadata.nodes as NodeMetadata[]) expect(node.defaultLabel.length).toBeLessThanOrEqual(200);
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
