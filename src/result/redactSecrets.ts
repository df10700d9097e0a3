/**
 * Last line of defence: replaces any known secret that slipped into a text (a server echoing a password,
 * a token inside a URL) before the text is logged or stored. Errors are built without secrets already.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let redacted = text;
  for (const secret of secrets) {
    // Very short values would redact ordinary words; real secrets are longer.
    if (secret && secret.length >= 4 && redacted.includes(secret)) redacted = redacted.split(secret).join("[redacted]");
  }
  return redacted;
}

/** Applies redactSecrets to every string inside a plain JSON-like value. */
export function redactValue<T>(value: T, secrets: ReadonlyArray<string | undefined>): T {
  if (typeof value === "string") return redactSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, secrets)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item as unknown, secrets)])) as T;
  }
  return value;
}
