/**
 * Cognigy refuses an API argument above about 62 KB, and api.addToInput / addToContext are API calls, so
 * everything the nodes store must stay below this, measured as the JSON Cognigy keeps.
 */
export const MAX_STORED_BYTES = 60_000;

/** Lists in a stored result keep this many entries; `<list>Count` then gives the full number. */
export const STORED_LIST_LIMIT = 100;

/** Texts in a stored result (server replies, messages) are cut after this many characters. */
export const STORED_TEXT_LIMIT = 2_000;

export function storedBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
}
