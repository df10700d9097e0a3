const MAX_QUOTE_LENGTH = 300;

/** What quoteReply needs of a secret set (result/redactSecrets' SecretSet has it): errors/ imports nothing above it. */
export interface Redactor {
  redact(text: string): string;
}

/** One line, bounded, secrets removed: safe to put into a message. */
export function quoteReply(text: string, secrets: Redactor): string {
  const line = secrets.redact(text).replace(/\s+/g, " ").trim();
  return line.length > MAX_QUOTE_LENGTH ? `${line.slice(0, MAX_QUOTE_LENGTH - 1)}…` : line;
}
