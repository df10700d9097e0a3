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

  /** Expires what is due, then re-arms for the earliest of the rest (or stays off when none is left). */
  fire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const item of [...this.live]) {
      if (item.expiresAt <= now) {
        this.live.delete(item);
        item.expire();
      } else if (item.expiresAt < next) {
        next = item.expiresAt;
      }
    }
    // An expire() may have added a deadline and armed the timer already.
    if (next < this.armedFor) this.arm(next);
  }
}

function tick(clock: ExpiryClock): void {
  clock.fire();
}

/** The process's clock for send deadlines. */
export const deadlineClock = new ExpiryClock();
