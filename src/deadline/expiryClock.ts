/** Something that runs out at a point in time (Date.now() milliseconds). */
export interface Expiring {
  readonly expiresAt: number;
  expire(): void;
}

/**
 * One timer for every live deadline of the process, armed for the earliest. A send adds its deadline
 * to a set and removes it when done, instead of creating and clearing a timer of its own: sequential
 * sends with the same budget never touch the timer, which fires about once per budget length, finds
 * what is due and re-arms for the next. Unref'd, like the timers it replaces: it never keeps a
 * finished process alive.
 */
export class ExpiryClock {
  private readonly live = new Set<Expiring>();
  private timer?: NodeJS.Timeout;
  /** When the armed timer fires; Infinity when none is armed. */
  private armedFor = Infinity;

  add(item: Expiring): void {
    this.live.add(item);
    if (item.expiresAt < this.armedFor) this.arm(item.expiresAt);
  }

  /** Leaves the timer armed: the next deadline will likely need it, and a spurious tick costs less than re-arming per send. */
  remove(item: Expiring): void {
    this.live.delete(item);
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(tick, Math.max(1, at - Date.now()), this);
    this.timer.unref();
  }

  /**
   * Re-arms for the earliest deadline not yet due (or stays off when none is left), then expires the
   * due ones. A failing expiry neither stops the clock nor the other expiries; the first failure is
   * then thrown, as a timer of the deadline's own would have thrown it.
   */
  fire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = Date.now();
    const due: Expiring[] = [];
    let next = Infinity;
    for (const item of this.live) {
      if (item.expiresAt <= now) due.push(item);
      else if (item.expiresAt < next) next = item.expiresAt;
    }
    for (const item of due) this.live.delete(item);
    if (next < Infinity) this.arm(next);
    let failure: { error: unknown } | undefined;
    for (const item of due) {
      try {
        item.expire();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}

function tick(clock: ExpiryClock): void {
  clock.fire();
}

/** The process's clock for send deadlines. */
export const deadlineClock = new ExpiryClock();
