import type { IConnectionSchema, IConnectionSchemaField } from "@cognigy/extension-tools";

/**
 * A connection field as Cognigy's upload schema knows it. The extension-tools type stops at `fieldName`;
 * Cognigy also reads `required` (true unless set to false), and its connection editor demands a value
 * for every required field, so optional fields must say so or users type placeholders.
 */
export interface ConnectionField extends IConnectionSchemaField {
  required?: boolean;
}

export interface ConnectionSchema extends IConnectionSchema {
  fields: ConnectionField[];
}

/** A field the connection works without: empty means its documented default. */
export const optional = (fieldName: string): ConnectionField => ({ fieldName, required: false });
