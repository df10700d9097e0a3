import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { IConnectionSchema, INodeDescriptor } from "@cognigy/extension-tools";
import extension from "../../src/module";
import { uploadSchemaProblems, type UploadPayload } from "./cognigyUploadSchema";

const root = join(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string; description: string };

/** What Cognigy assembles from the uploaded package: package.json data, the README and what build/module.js exports. */
const payload = (nodes: unknown[] = extension.nodes, connections: unknown[] = extension.connections): UploadPayload => ({
  name: pkg.name,
  version: pkg.version,
  label: extension.options.label,
  description: pkg.description,
  readme: readFileSync(join(root, "README.md"), "utf8"),
  nodes,
  connections,
});

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const sendNode = () => clone(extension.nodes.find((node) => node.type === "sendSmtpEmail") as INodeDescriptor);
const longText = "x".repeat(201);

describe("Cognigy's upload schema (@cognigy/rest-api-client)", () => {
  it("accepts the whole package: every node descriptor, every connection, README and package data", () => {
    expect(uploadSchemaProblems(payload())).toEqual([]);
  });

  it.each(extension.nodes.map((node) => [node.type, node] as const))("accepts node %s on its own", (_type, node) => {
    expect(uploadSchemaProblems(payload([node], []))).toEqual([]);
  });

  it.each(extension.connections.map((connection) => [connection.type, connection] as const))("accepts connection %s on its own", (_type, connection) => {
    expect(uploadSchemaProblems(payload([], [connection]))).toEqual([]);
  });

  describe("refuses, as Cognigy would", () => {
    it("a field description over 200 characters, in any locale", () => {
      const node = sendNode();
      const cc = node.fields!.find((field) => field.key === "cc")!;
      cc.description = { default: "Short.", deDE: longText };
      expect(uploadSchemaProblems(payload([node]))).toEqual([expect.stringMatching(/fields\/\d+\(cc\)\/description\/deDE: should NOT be longer than 200 characters$/)]);
    });

    it("a field label over 200 characters", () => {
      const node = sendNode();
      node.fields!.find((field) => field.key === "subject")!.label = longText;
      expect(uploadSchemaProblems(payload([node]))).toEqual([expect.stringMatching(/\(subject\)\/label: should NOT be longer than 200 characters$/)]);
    });

    it("a locale key Cognigy does not know", () => {
      const node = sendNode();
      node.fields!.find((field) => field.key === "to")!.label = { default: "To", frFR: "À" } as never;
      expect(uploadSchemaProblems(payload([node]))).toEqual([expect.stringMatching(/\(to\)\/label: should NOT have additional properties "frFR"$/)]);
    });

    it("a section label, defaultLabel or summary over 200 characters", () => {
      const node = sendNode();
      node.sections![0]!.label = longText;
      node.defaultLabel = { default: longText };
      node.summary = { default: "ok", enUS: longText };
      const problems = uploadSchemaProblems(payload([node]));
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/sections\/0\(\w+\)\/label: should NOT be longer than 200 characters$/),
          expect.stringMatching(/defaultLabel\/default: should NOT be longer than 200 characters$/),
          expect.stringMatching(/summary\/enUS: should NOT be longer than 200 characters$/),
        ]),
      );
    });

    it("a section with more than 35 fields", () => {
      const node = sendNode();
      node.sections![0]!.fields = Array.from({ length: 36 }, (_, index) => `field${index}`);
      expect(uploadSchemaProblems(payload([node]))).toContainEqual(expect.stringMatching(/sections\/0\(\w+\)\/fields: should NOT have more than 35 items$/));
    });

    it("a field type Cognigy does not render", () => {
      const node = sendNode();
      node.fields!.find((field) => field.key === "subject")!.type = "richText" as never;
      expect(uploadSchemaProblems(payload([node]))).toContainEqual(expect.stringMatching(/\(subject\)\/type: should be equal to one of the allowed values$/));
    });

    it("a connection field with a property the schema does not have", () => {
      const connection = clone(extension.connections[0]!) as IConnectionSchema & { fields: Array<Record<string, unknown>> };
      connection.fields[0]!.secret = true;
      connection.fields[1]!.required = "no";
      expect(uploadSchemaProblems(payload([], [connection]))).toEqual([
        expect.stringMatching(/connections\/0\(smtp-basic-auth\)\/fields\/0\(username\): should NOT have additional properties "secret"$/),
        expect.stringMatching(/connections\/0\(smtp-basic-auth\)\/fields\/1\(password\)\/required: should be boolean$/),
      ]);
    });
  });
});
