/**
 * Holds a test server's answers until released: `hold()` closes it (each hold returns its own release),
 * `whenOpen(answer)` runs the answer at once, or once the last hold is released.
 */
export class Gate {
  private readonly holds = new Set<symbol>();
  private waiting: Array<() => void> = [];

  hold(): () => void {
    const token = Symbol("hold");
    this.holds.add(token);
    return () => {
      if (!this.holds.delete(token) || this.holds.size > 0) return;
      const ready = this.waiting;
      this.waiting = [];
      for (const answer of ready) answer();
    };
  }

  whenOpen(answer: () => void): void {
    if (this.holds.size > 0) this.waiting.push(answer);
    else answer();
  }

  /** Drops every hold and every waiting answer (the server is closing). */
  clear(): void {
    this.holds.clear();
    this.waiting = [];
  }
}
