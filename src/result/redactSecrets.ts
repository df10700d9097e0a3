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

/**
 * Applies redactSecrets to every string inside a plain JSON-like value: a copy with the secrets
 * replaced, or the value itself when it is plain data without any secret in it (the usual case).
 */
export function redactValue<T>(value: T, secrets: ReadonlyArray<string | undefined>): T {
  const redactable = secrets.filter((secret): secret is string => !!secret && secret.length >= 4);
  return needsCopy(value, redactable) ? copyRedacted(value, redactable) : value;
}

/** True when a string inside holds a secret, or something inside is not plain data (the copy makes it plain). */
function needsCopy(value: unknown, secrets: readonly string[]): boolean {
  if (typeof value === "string") return secrets.some((secret) => value.includes(secret));
  if (!value || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some((item: unknown) => needsCopy(item, secrets));
  if (Object.getPrototypeOf(value) !== Object.prototype) return true;
  return Object.values(value).some((item: unknown) => needsCopy(item, secrets));
}

function copyRedacted<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === "string") return redactSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => copyRedacted(item, secrets)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyRedacted(item as unknown, secrets)])) as T;
  }
  return value;
}
