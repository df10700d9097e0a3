/**
 * What nodemailer and the token cache read from an abort signal: whether it fired, and a listener for
 * when it does. A real AbortSignal has this shape; so does the deadline's own `abortWatch`.
 */
export interface AbortWatch {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** The deadline's side of an AbortWatch: its expiry state and its list of callbacks for the moment it runs out. */
export interface ExpiryList {
  readonly expired: boolean;
  whenExpired(onExpire: () => void): void;
  forget(onExpire: () => void): void;
}

/**
 * The deadline as an abort signal, on the deadline's own callback list. nodemailer accepts any object
 * of this shape (it checks for `aborted` and the two listener methods, for signals from other realms
 * and polyfills). A real AbortController per send, with the EventTarget listeners nodemailer adds and
 * removes twice per message, cost 2–8 % of a warm send's CPU in a raw nodemailer benchmark.
 * Behaves like an AbortSignal: listeners added after it fired are never called, each is called once.
 */
export class DeadlineAbortWatch implements AbortWatch {
  private abortReason?: Error;

  constructor(private readonly deadline: ExpiryList) {}

  get aborted(): boolean {
    return this.deadline.expired;
  }

  /** What nodemailer puts into its abort error's `cause`. */
  get reason(): Error | undefined {
    if (!this.deadline.expired) return undefined;
    this.abortReason ??= Object.assign(new Error("The send's time budget ran out."), { name: "TimeoutError" });
    return this.abortReason;
  }

  addEventListener(type: "abort", listener: () => void): void {
    if (type === "abort" && !this.deadline.expired) this.deadline.whenExpired(listener);
  }

  removeEventListener(type: "abort", listener: () => void): void {
    if (type === "abort") this.deadline.forget(listener);
  }
}
