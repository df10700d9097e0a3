import { Socket } from "node:net";
import Mail from "nodemailer/lib/mailer";
import SMTPPool, { type SMTPPoolOptions, type SMTPPoolSentMessageInfo } from "nodemailer/lib/smtp-pool";
import { forgetUses, markUsed } from "./firstUse";
import { trackHandover } from "./handover";
import { IDLE_CLOSE_MS } from "./transportPlan";

/** Open pooled transports at most (each up to three connections); the least recently used one closes first. */
export const MAX_TRANSPORTS = 32;


export type PooledMailer = Mail<SMTPPoolSentMessageInfo, SMTPPoolOptions>;

export interface TransportLease {
  readonly mailer: PooledMailer;
  /** The pool itself, to adjust its connect timeouts to the caller's remaining time. */
  readonly pool: SMTPPool;
  /** Gives the transport back; call exactly once, when the send settled. */
  release(): void;
  /** Takes the transport out of service: nobody gets it again, and it closes once the last lease is released. */
  retire(): void;
}

interface Slot {
  readonly slotKey: string;
  /** Fingerprint of the credential (and token) this transport logs in with. */
  readonly variant: string;
  readonly pool: SMTPPool;
  readonly mailer: PooledMailer;
  leases: number;
  retired: boolean;
  idleTimer?: NodeJS.Timeout;
  /** When the last lease was released (Date.now()); the idle timer measures from here. */
  idleSince: number;
}

/**
 * One pooled transport per slot (server settings + credential), reused by every send in the process.
 * When the variant of a slot changes (a renewed token), the old transport is retired: sends already
 * using it finish, then it closes, and new sends get a transport with the new token. Bounded: beyond
 * `maxTransports` the least recently used transport is retired, and one idle for `idleCloseMs` closes.
 */
export class TransportCache {
  /** In least-recently-used order: an acquire moves its slot to the end. */
  private readonly current = new Map<string, Slot>();
  private readonly retiring = new Set<Slot>();

  constructor(
    private readonly idleCloseMs = IDLE_CLOSE_MS,
    private readonly maxTransports = MAX_TRANSPORTS,
  ) {}

  acquire(slotKey: string, variant: string, createOptions: () => SMTPPoolOptions): TransportLease {
    markUsed(slotKey);
    let slot = this.current.get(slotKey);
    if (slot && slot.variant !== variant) {
      this.retire(slot);
      slot = undefined;
    }
    if (slot) {
      this.current.delete(slotKey);
      this.current.set(slotKey, slot);
    } else {
      slot = this.create(slotKey, variant, createOptions());
      this.current.set(slotKey, slot);
      for (const [, oldest] of this.current) {
        if (this.current.size <= this.maxTransports) break;
        this.retire(oldest);
      }
    }
    const leased = slot;
    leased.leases++;
    // A send is in flight: its connections must keep the process alive until it settles.
    if (leased.leases === 1) setSocketsReferenced(leased.pool, true);
    let released = false;
    return {
      mailer: leased.mailer,
      pool: leased.pool,
      release: () => {
        if (released) return;
        released = true;
        leased.leases--;
        this.settle(leased);
      },
      retire: () => this.retire(leased),
    };
  }

  /** Closes every transport now, also those still sending (their sends fail). For shutdown and tests. */
  async closeAll(): Promise<void> {
    const slots = [...this.current.values(), ...this.retiring];
    this.current.clear();
    forgetUses();
    this.retiring.clear();
    for (const slot of slots) {
      slot.retired = true;
      this.stopIdleTimer(slot);
      slot.mailer.close({ force: true });
    }
    // Sockets end asynchronously; one turn of the event loop lets the FINs go out before callers close their servers.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Open transports: in service, and retired ones still finishing sends. */
  stats(): { inService: number; retiring: number } {
    return { inService: this.current.size, retiring: this.retiring.size };
  }

  private create(slotKey: string, variant: string, options: SMTPPoolOptions): Slot {
    const pool = new SMTPPool(options);
    // As nodemailer's createTransport does, but keeping the pool at hand; the options also carry Mail's own settings (file and URL access).
    const mailer: PooledMailer = new Mail(pool, options);
    // Mail re-emits transport errors; without a listener an "error" event would crash the process.
    // Every failure that matters also reaches the send's callback.
    mailer.on("error", () => undefined);
    // Tells a message that went out whole from one that did not, when the answer never comes.
    mailer.use("stream", trackHandover);
    return { slotKey, variant, pool, mailer, leases: 0, retired: false, idleSince: Date.now() };
  }

  private retire(slot: Slot): void {
    if (slot.retired) return;
    slot.retired = true;
    if (this.current.get(slot.slotKey) === slot) this.current.delete(slot.slotKey);
    this.retiring.add(slot);
    this.settle(slot);
  }

  private settle(slot: Slot): void {
    if (slot.leases > 0) return;
    // Nothing in flight: an idle pooled connection (or one saying goodbye) must never keep a finished process alive.
    setSocketsReferenced(slot.pool, false);
    if (slot.retired) {
      this.stopIdleTimer(slot);
      this.retiring.delete(slot);
      slot.mailer.close();
      return;
    }
    slot.idleSince = Date.now();
    // One timer per idle spell, not one per send: a timer that finds the transport used since it was set waits for the rest.
    if (!slot.idleTimer) this.startIdleTimer(slot, this.idleCloseMs);
  }

  private startIdleTimer(slot: Slot, delayMs: number): void {
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = undefined;
      // In use now: the release that ends this use starts the next idle spell.
      if (slot.leases > 0 || slot.retired) return;
      const idleFor = Date.now() - slot.idleSince;
      if (idleFor >= this.idleCloseMs) this.retire(slot);
      else this.startIdleTimer(slot, this.idleCloseMs - idleFor);
    }, delayMs);
    // The idle timer alone must never keep the process alive.
    slot.idleTimer.unref();
  }

  private stopIdleTimer(slot: Slot): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
  }
}

/** The process-wide transports used by sendMail. */
export const transportCache = new TransportCache();

/**
 * Refs or unrefs the sockets of the pool's open connections. nodemailer keeps them in fields its
 * types do not declare (pool._connections[].connection._socket); the child-process tests pin this
 * down. Unref on a TLS socket also unrefs the TCP socket beneath it.
 */
function setSocketsReferenced(pool: SMTPPool, referenced: boolean): void {
  const resources = (pool as unknown as { _connections?: unknown })._connections;
  if (!Array.isArray(resources)) return;
  for (const resource of resources as Array<{ connection?: { _socket?: unknown } } | undefined>) {
    const socket = resource?.connection?._socket;
    if (socket instanceof Socket) {
      if (referenced) socket.ref();
      else socket.unref();
    }
  }
}
