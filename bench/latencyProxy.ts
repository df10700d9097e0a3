/**
 * A small TCP proxy that adds latency: listens on 127.0.0.1 (OS-chosen port), opens one connection to
 * the target per client connection, and holds every chunk `delayMs` before passing it on, in both
 * directions, in order. With 10 ms each way a request and its answer take ~20 ms longer, as a server
 * ~20 ms round trip away would. It is transparent to what runs over it (SMTP with STARTTLS, HTTP).
 *
 *   const proxy = await startLatencyProxy({ host: "127.0.0.1", port: server.port }, 10);
 *   // connect to proxy.port ...
 *   await proxy.close();
 *
 * A half-close (FIN) is passed on after the data before it, also delayed; an error or reset on either
 * side destroys both. close() stops listening and destroys whatever is still open, timers included.
 */
import net from "node:net";
import { listenOnLoopback } from "../test/support/listenOnLoopback";

export interface LatencyProxy {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** Client connections accepted so far. */
  readonly connections: number;
  /** Chunks passed on (both directions). */
  readonly chunks: number;
  /** How long each chunk was actually held, in ms, in the order they left (timers fire late under load). */
  readonly heldMs: readonly number[];
  close(): Promise<void>;
}

interface Target {
  host: string;
  port: number;
}

/** One direction of one connection: chunks in arrival order, each with the time it may leave. */
class DelayedPipe {
  private readonly queue: Array<{ due: number; chunk: Buffer | null; queuedAt: bigint }> = [];
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly from: net.Socket,
    private readonly to: net.Socket,
    private readonly delayMs: number,
    private readonly onForwarded: (heldMs: number) => void,
  ) {
    from.on("data", (chunk: Buffer) => this.push(chunk));
    // The end of the stream travels like data, so the far side sees FIN after the last chunk.
    from.on("end", () => this.push(null));
    to.on("drain", () => from.resume());
  }

  private push(chunk: Buffer | null): void {
    if (this.stopped) return;
    this.queue.push({ due: performance.now() + this.delayMs, chunk, queuedAt: process.hrtime.bigint() });
    if (this.queue.length === 1) this.schedule();
  }

  private schedule(): void {
    const head = this.queue[0];
    if (!head || this.stopped) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, head.due - performance.now()));
  }

  /** Passes on every chunk whose time has come, oldest first, then waits for the next one. */
  private flush(): void {
    this.timer = undefined;
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0]!.due <= now + 0.5 && !this.stopped) {
      const { chunk, queuedAt } = this.queue.shift()!;
      this.onForwarded(Number(process.hrtime.bigint() - queuedAt) / 1e6);
      if (chunk === null) {
        this.to.end();
      } else if (!this.to.write(chunk)) {
        // Back-pressure: stop reading until the far side has taken what it has.
        this.from.pause();
      }
    }
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }
}

export async function startLatencyProxy(target: Target, delayMs: number): Promise<LatencyProxy> {
  const open = new Set<net.Socket>();
  const pipes = new Set<DelayedPipe>();
  let connections = 0;
  const held: number[] = [];
  const forwarded = (heldMs: number) => held.push(heldMs);

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    connections++;
    const upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const here = [new DelayedPipe(client, upstream, delayMs, forwarded), new DelayedPipe(upstream, client, delayMs, forwarded)];
    for (const pipe of here) pipes.add(pipe);
    const teardown = () => {
      for (const pipe of here) {
        pipe.stop();
        pipes.delete(pipe);
      }
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("error", teardown);
      socket.on("close", (hadError: boolean) => {
        open.delete(socket);
        // A clean close comes after both directions ended; the other side then finishes on its own.
        if (hadError || (client.destroyed && upstream.destroyed)) teardown();
      });
    }
  });

  const port = await listenOnLoopback(server, "latency proxy");

  let closing: Promise<void> | undefined;
  return {
    host: "127.0.0.1",
    port,
    get connections() {
      return connections;
    },
    get chunks() {
      return held.length;
    },
    heldMs: held,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const pipe of pipes) pipe.stop();
        pipes.clear();
        for (const socket of open) socket.destroy();
        open.clear();
      });
      return closing;
    },
  };
}
