import { readFileSync } from "node:fs";
import { join } from "node:path";
import extension from "../../src/module";

const root = join(__dirname, "..", "..");
const readJson = (name: string) => JSON.parse(readFileSync(join(root, name), "utf8")) as Record<string, unknown>;

interface NodeMetadata {
  type: string;
  label: string;
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

  it("gives every node a label, description and tags that match its descriptor", () => {
    for (const node of metadata.nodes as NodeMetadata[]) {
      const descriptor = extension.nodes.find((candidate) => candidate.type === node.type)!;
      const defaultLabel = descriptor.defaultLabel;
      expect(node.label).toBe(typeof defaultLabel === "string" ? defaultLabel : defaultLabel.default);
      expect(node.description.length).toBeGreaterThan(20);
      expect(node.tags).toEqual(descriptor.tags);
    }
  });

  it("has the marketplace fields", () => {
    for (const key of ["label", "description", "longDescription"]) expect(typeof metadata[key]).toBe("string");
    expect(Array.isArray(metadata.tags)).toBe(true);
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
