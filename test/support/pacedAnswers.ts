import { Gate } from "./gate";

/**
 * When a test HTTP stand-in answers: after its delay (if any), and once no test holds its answers. The
 * delay timers are tracked, so closing the stand-in drops them with the holds.
 */
export class PacedAnswers {
  private readonly gate = new Gate();
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Holds every answer until the returned function is called. */
  hold(): () => void {
    return this.gate.hold();
  }

  /** Runs `send` after `delayMs`, then as soon as no hold is left. */
  answer(delayMs: number, send: () => void): void {
    const release = () => this.gate.whenOpen(send);
    if (delayMs <= 0) return release();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      release();
    }, delayMs);
    this.timers.add(timer);
  }

  /** Drops pending delays, holds and waiting answers (the stand-in is closing). */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.gate.clear();
  }
}
