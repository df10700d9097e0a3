import Ajv from "ajv";

/**
 * Cognigy's own JSON schema for an uploaded extension (package.json data, README, node descriptors and
 * connection schemas), taken from the published `@cognigy/rest-api-client` and checked with ajv 6, the
 * version that package itself depends on. Whatever this refuses, Cognigy's upload refuses.
 *
 * The package names its string formats but does not publish their definitions; the ones below are
 * deliberately lenient stand-ins, so a failure here is always a real limit (length, locale key, field
 * count, unknown property), never a guessed pattern.
 */
const FORMATS: Record<string, RegExp> = {
  "mongo-id": /^[0-9a-f]{24}$/i,
  "alphanum-64": /^[0-9a-z]{1,64}$/i,
  color: /^(#[0-9a-f]{3,8}|[a-z]+|rgba?\([^)]*\))$/i,
  "resource-name": /^[^\x00-\x1f\x7f]{1,200}$/,
  "package-name": /^[^\x00-\x1f\x7f]{1,214}$/,
  semver: /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/,
  "snippet-label": /^[^\x00-\x1f\x7f]{1,200}$/,
  "snippet-type": /^[^\x00-\x1f\x7f]{1,200}$/,
  "snippet-script": /^[\s\S]*$/,
};

// The package ships no type declarations for its schema modules.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { extensionDataSchema } = require("@cognigy/rest-api-client/build/shared/interfaces/resources/IExtension") as { extensionDataSchema: object };

const ajv = new Ajv({ allErrors: true, jsonPointers: true });
for (const [name, pattern] of Object.entries(FORMATS)) ajv.addFormat(name, pattern);
const validateUpload = ajv.compile(extensionDataSchema);

export interface UploadPayload {
  name: string;
  version: string;
  label?: string;
  description?: string;
  readme?: string;
  nodes: unknown[];
  connections: unknown[];
}

/**
 * The problems Cognigy's upload schema finds, one line each ("/nodes/0/fields/3/description/deDE: should NOT
 * be longer than 200 characters"). The payload goes through JSON first, as it does on its way to Cognigy,
 * which drops the node functions and undefined values.
 */
export function uploadSchemaProblems(payload: UploadPayload): string[] {
  const data = JSON.parse(JSON.stringify(payload)) as unknown;
  if (validateUpload(data)) return [];
  const errors = validateUpload.errors ?? [];
  // A failing oneOf (plain string or per-locale object) adds "should match exactly one schema" and a type
  // error for the branch that does not apply; the branch that does apply says what is really wrong.
  const isBranchNoise = (error: (typeof errors)[number]) =>
    error.keyword === "oneOf" ||
    (error.keyword === "type" && /\/oneOf\/\d+\/type$/.test(error.schemaPath) && errors.some((other) => other !== error && other.keyword !== "oneOf" && other.keyword !== "type" && other.dataPath.startsWith(error.dataPath)));
  return errors
    .filter((error) => !isBranchNoise(error))
    .map((error) => {
      const extra = error.keyword === "additionalProperties" ? ` "${(error.params as { additionalProperty: string }).additionalProperty}"` : "";
      return `${readablePath(data, error.dataPath)}: ${error.message ?? error.keyword}${extra}`;
    });
}

/** "/nodes/0/fields/3/description/deDE" becomes "/nodes/0(sendSmtpEmail)/fields/3(security)/description/deDE". */
export function readablePath(data: unknown, pointer: string): string {
  let current: unknown = data;
  return (
    pointer
      .split("/")
      .slice(1)
      .map((segment) => {
        current = current && typeof current === "object" ? (current as Record<string, unknown>)[segment] : undefined;
        const name = current && typeof current === "object" ? ((current as Record<string, unknown>).key ?? (current as Record<string, unknown>).type ?? (current as Record<string, unknown>).fieldName) : undefined;
        return /^\d+$/.test(segment) && typeof name === "string" ? `${segment}(${name})` : segment;
      })
      .map((segment) => `/${segment}`)
      .join("") || "/"
  );
}
