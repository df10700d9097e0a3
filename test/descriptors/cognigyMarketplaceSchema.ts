import Ajv from "ajv";
import { readablePath } from "./cognigyUploadSchema";

/**
 * Cognigy's marketplace metadata schema, copied verbatim (only re-indented, as a TypeScript literal) from
 * Cognigy's public Extensions repository:
 *
 *   repository: https://github.com/Cognigy/Extensions
 *   path:       metadata/schema.json (blob d697e5b33b0fddd5dbfa15bea4855bf127693337)
 *   commit:     3d249905d5473c1851115385a30d7221a15edc7c (master, 2026-03-04); the file last changed in
 *               4ac27604bca4b65af7750c661b7534dc2866fafe ("marketplace: updated schema.json", 2022-02-15)
 *
 * It describes `metadata/extensions.json`, the marketplace's list: `{ "version": "1.0", "extensions": [...] }`,
 * one entry per extension. The file lists `version` and `extensions` at its top level without a
 * `"type": "object", "properties"` wrapper, so as a whole it constrains nothing (JSON Schema ignores unknown
 * keywords); the rules are in `extensions.items`, the schema of one entry, and that is what our extension.json
 * is: the entry this extension would add to the list. Checked with ajv 6, as the upload schema is.
 */
export const marketplaceSchema = {
  version: {
    type: "string",
    enum: ["1.0"],
  },
  extensions: {
    type: "array",
    items: {
      type: "object",
      additionalProperties: false,
      required: ["version", "name", "label", "downloadUrl", "infoUrl", "longDescription", "description", "tags", "icon", "nodes"],
      properties: {
        version: {
          type: "string",
          maxLength: 10,
        },
        name: {
          type: "string",
          maxLength: 200,
        },
        label: {
          type: "string",
          maxLength: 200,
        },
        downloadUrl: {
          type: "string",
          maxLength: 500,
        },
        infoUrl: {
          type: "string",
          maxLength: 500,
        },
        longDescription: {
          type: "string",
          maxLength: 2000,
        },
        description: {
          type: "string",
          maxLength: 1000,
        },
        tags: {
          type: "array",
          items: {
            type: "string",
            maxLength: 200,
          },
        },
        icon: {
          type: "string",
        },
        nodes: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            properties: {
              type: {
                type: "string",
                maxLength: 200,
              },
              defaultLabel: {
                type: "string",
                maxLength: 200,
              },
              description: {
                type: "string",
                maxLength: 1000,
              },
              tags: {
                type: "array",
                items: {
                  type: "string",
                  maxLength: 200,
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** The schema of one marketplace entry: what extension.json must satisfy. */
export const marketplaceEntrySchema = marketplaceSchema.extensions.items;

const ajv = new Ajv({ allErrors: true, jsonPointers: true });
const validateEntry = ajv.compile(marketplaceEntrySchema);

/**
 * The problems the marketplace schema finds in one entry, one line each: "/: should have required property
 * 'label'", "/: should NOT have additional properties \"defaultLabel\"", "/nodes/1(buildMime)/description:
 * should NOT be longer than 1000 characters".
 */
export function marketplaceEntryProblems(entry: unknown): string[] {
  if (validateEntry(entry)) return [];
  return (validateEntry.errors ?? []).map((error) => {
    const extra = error.keyword === "additionalProperties" ? ` "${(error.params as { additionalProperty: string }).additionalProperty}"` : "";
    return `${readablePath(entry, error.dataPath)}: ${error.message ?? error.keyword}${extra}`;
  });
}
