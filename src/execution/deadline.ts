import { SmtpEmailError } from "../errors/SmtpEmailError";

/**
 * One time budget for a whole node execution (token, attachments, SMTP), so the node answers before
 * Cognigy kills it at 20 s. Every step takes its remaining time and the shared abort signal from here.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  readonly totalMs: number;
  remainingMs(): number;
  /** Throws the timeout error when the budget is spent. */
  check(step: string): void;
  timeoutError(step: string): SmtpEmailError;
  /**
   * Calls `onExpire` once when the budget runs out (right away if it has); returns the function that
   * cancels this. Cheaper than a listener on `signal` for a step that only races the deadline.
   */
  whenExpired(onExpire: () => void): () => void;
  dispose(): void;
}

export function createDeadline(totalMs: number): Deadline {
  const controller = new AbortController();
  const expiresAt = Date.now() + totalMs;
  const waiting = new Set<() => void>();
  const timer = setTimeout(() => {
    controller.abort();
    for (const onExpire of [...waiting]) onExpire();
    waiting.clear();
  }, totalMs);
  timer.unref();
  const timeoutError = (step: string) =>
    new SmtpEmailError(
      "timeout",
      `The send did not finish within ${Math.round(totalMs / 1000)} s (while ${step}) and was aborted.`,
      "Check that the server and port are reachable from Cognigy and answer quickly, or raise Total Timeout (timeoutSeconds) under Connection Options, staying below 20 s.",
    );
  return {
    signal: controller.signal,
    totalMs,
    remainingMs: () => Math.max(0, expiresAt - Date.now()),
    check(step) {
      if (controller.signal.aborted || Date.now() >= expiresAt) throw timeoutError(step);
    },
    timeoutError,
    whenExpired(onExpire) {
      if (controller.signal.aborted) {
        onExpire();
        return () => undefined;
      }
      // A wrapper per call: the same function raced twice is called twice, as two listeners would be.
      const once = () => onExpire();
      waiting.add(once);
      return () => waiting.delete(once);
    },
    dispose: () => {
      clearTimeout(timer);
      waiting.clear();
    },
  };
}
