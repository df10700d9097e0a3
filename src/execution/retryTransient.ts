import type { SmtpEmailError } from "../errors/SmtpEmailError";
import type { Deadline } from "../deadline/deadline";

const MAX_RETRIES = 2;
const BACKOFF_MS = [250, 1000];

/**
 * A failure is worth another try only when the server surely did not take the message: a 4xx reply
 * (the server says "later"), or a connection lost before the message data went out. A connection lost
 * during DATA is ambiguous, so it is never retried: a duplicate mail is worse than a reported failure.
 */
export function isTransient(error: SmtpEmailError): boolean {
  const { responseCode, command, libraryCode } = error.details;
  if (responseCode !== undefined) return responseCode >= 400 && responseCode < 500;
  if (command === "DATA" || error.code === "timeout") return false;
  return (libraryCode === "ECONNECTION" || libraryCode === "ESOCKET") && error.code === "connection" && command !== "CONN";
}

/** Runs `attempt`, retrying transient failures at most twice with a short backoff inside the deadline. */
export async function retryTransient<T>(
  attempt: () => Promise<T>,
  deadline: Deadline,
  toError: (error: unknown) => SmtpEmailError,
  onRetry: (error: SmtpEmailError, retry: number) => void,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (raw) {
      const error = toError(raw);
      const backoff = BACKOFF_MS[retry] ?? 0;
      if (retry >= MAX_RETRIES || !isTransient(error) || deadline.remainingMs() < backoff + 1000) throw error;
      onRetry(error, retry + 1);
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }
}
