import { SmtpEmailError } from "../errors/SmtpEmailError";
import { DeadlineAbortWatch, type AbortWatch } from "./deadlineSignal";
import { deadlineClock, type Expiring } from "./expiryClock";

/**
 * One time budget for a whole node execution (token, attachments, SMTP), so the node answers before
 * Cognigy kills it at 20 s. Every step takes its remaining time and the shared abort signal from here.
 */
export interface Deadline {
  /** A real AbortSignal (for fetch and streams), made the first time it is asked for. */
  readonly signal: AbortSignal;
  /** The same deadline in the signal shape nodemailer and the token cache accept, without an AbortController. */
  readonly abortWatch: AbortWatch;
  /** True once the budget has run out. */
  readonly expired: boolean;
  readonly totalMs: number;
  remainingMs(): number;
  /** Throws the timeout error when the budget is spent. */
  check(step: string): void;
  timeoutError(step: string): SmtpEmailError;
  /**
   * Calls `onExpire` once when the budget runs out (right away if it has), unless `forget(onExpire)`
   * came first. Cheaper than a listener on `signal` for a step that only races the deadline.
   */
  whenExpired(onExpire: () => void): void;
  forget(onExpire: () => void): void;
  dispose(): void;
}

export function createDeadline(totalMs: number): Deadline {
  return new SendDeadline(totalMs);
}

/** A class, not closures: one is made per send, and its methods are then shared instead of created each time. */
class SendDeadline implements Deadline, Expiring {
  /** Made on demand: most sends only need `abortWatch`. */
  private controller?: AbortController;
  private watch?: DeadlineAbortWatch;
  private ranOut = false;
  readonly expiresAt: number;
  /** Called once when the budget runs out. */
  private readonly waiting = new Set<() => void>();

  constructor(readonly totalMs: number) {
    this.expiresAt = Date.now() + totalMs;
    deadlineClock.add(this);
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.ranOut) this.controller.abort();
    }
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.ranOut;
  }

  get abortWatch(): AbortWatch {
    this.watch ??= new DeadlineAbortWatch(this);
    return this.watch;
  }

  remainingMs(): number {
    return Math.max(0, this.expiresAt - Date.now());
  }

  check(step: string): void {
    if (this.expired || Date.now() >= this.expiresAt) throw this.timeoutError(step);
  }

  timeoutError(step: string): SmtpEmailError {
    return new SmtpEmailError(
      "timeout",
      `The send did not finish within ${Math.round(this.totalMs / 1000)} s (while ${step}) and was aborted.`,
      "Check that the server and port are reachable from Cognigy and answer quickly, or raise Total Timeout (timeoutSeconds) under Connection Options, staying below 20 s.",
    );
  }

  whenExpired(onExpire: () => void): void {
    if (this.expired) onExpire();
    else this.waiting.add(onExpire);
  }

  forget(onExpire: () => void): void {
    this.waiting.delete(onExpire);
  }

  dispose(): void {
    deadlineClock.remove(this);
    this.waiting.clear();
  }

  /** The clock's end of the budget: abort the signal, then everything racing it. */
  expire(): void {
    this.ranOut = true;
    this.controller?.abort();
    for (const onExpire of [...this.waiting]) onExpire();
    this.waiting.clear();
  }
}
