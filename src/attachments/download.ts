import type { Readable } from "node:stream";
import type { Deadline } from "../deadline/deadline";
import type { ByteBudget } from "./byteBudget";
import { BlockedAddressError, createFetchAgents, hostnameRefusal, type NetworkPolicy, type createGuardedLookup } from "./networkGuard";

export const MAX_REDIRECTS = 5;

/** A Content-Length is only a claim: this much is reserved up front, the rest only as bytes arrive. */
export const MAX_PREALLOCATED_BYTES = 1024 * 1024;

export type DownloadFailure =
  | { kind: "blocked"; detail: string }
  | { kind: "tooLarge"; maxBytes: number }
  | { kind: "overBudget"; limit: number }
  | { kind: "status"; status: number; statusText: string }
  | { kind: "redirects" }
  | { kind: "timeout" }
  | { kind: "network"; detail: string };

/** Why a download failed, in terms the URL attachment turns into a user-facing message. */
export class DownloadError extends Error {
  constructor(readonly failure: DownloadFailure) {
    super(`download failed: ${failure.kind}`);
    this.name = "DownloadError";
  }
}

export interface DownloadOptions {
  maxBytes: number;
  policy: NetworkPolicy;
  deadline: Deadline;
  /** Shared by all attachments of one mail; the download stops as soon as it is used up. */
  budget: ByteBudget;
  /** Aborts this download early, e.g. because a sibling attachment already failed. */
  signal?: AbortSignal;
  /** Replaces the system DNS resolver; for tests only. */
  resolver?: Parameters<typeof createGuardedLookup>[1];
}

export interface Downloaded {
  bytes: Buffer;
  /** The response's Content-Type header, if any. */
  contentType?: string;
}

/**
 * Fetches an http(s) URL into memory with a hard size cap enforced while streaming (a lying or absent
 * Content-Length cannot get past it, nor can a gzip bomb: the count is on decompressed bytes), within
 * the node's time budget, without env proxies (which would bypass the address check), following at
 * most five redirects.
 */
export async function download(url: URL, options: DownloadOptions): Promise<Downloaded> {
  const { maxBytes, policy, deadline, budget } = options;
  const refuseHost = (hostname: string): void => {
    const reason = hostnameRefusal(hostname, policy);
    if (reason) throw new BlockedAddressError(hostname, undefined, reason);
  };

  const remaining = deadline.remainingMs();
  if (remaining <= 0 || deadline.signal.aborted) throw new DownloadError({ kind: "timeout" });

  const timer = new AbortController();
  const stop = new AbortController();
  const timeout = setTimeout(() => timer.abort(), remaining);
  const signal = AbortSignal.any([deadline.signal, timer.signal, stop.signal, ...(options.signal ? [options.signal] : [])]);
  const timedOut = () => deadline.signal.aborted || timer.signal.aborted;
  const agents = createFetchAgents(policy, options.resolver);
  try {
    // IP literals never reach the agents' lookup, so they are judged here and on every redirect.
    refuseHost(url.hostname);
    // Loaded on first use: only URL attachments need it, and it is heavy to load.
    const { default: axios } = await import("axios");
    const response = await axios.request<Readable>({
      url: url.href,
      method: "GET",
      adapter: "http",
      responseType: "stream",
      timeout: remaining,
      signal,
      maxRedirects: MAX_REDIRECTS,
      proxy: false,
      httpAgent: agents.httpAgent,
      httpsAgent: agents.httpsAgent,
      decompress: true,
      validateStatus: () => true,
      headers: { Accept: "*/*" },
      beforeRedirect: (redirectOptions) => {
        const hostname: unknown = redirectOptions.hostname;
        if (typeof hostname === "string") refuseHost(hostname);
      },
    });
    const body = response.data;
    if (response.status < 200 || response.status > 299) {
      body.destroy();
      throw new DownloadError({ kind: "status", status: response.status, statusText: response.statusText });
    }
    const declared = Number(response.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) {
      body.destroy();
      throw new DownloadError({ kind: "tooLarge", maxBytes });
    }
    if (Number.isFinite(declared) && declared > budget.remaining) {
      body.destroy();
      throw new DownloadError({ kind: "overBudget", limit: budget.limit });
    }
    const bytes = await readCapped(body, { maxBytes, budget, abort: () => stop.abort(), declaredBytes: Number.isFinite(declared) ? declared : undefined });
    const contentType: unknown = response.headers["content-type"];
    return { bytes, contentType: typeof contentType === "string" ? contentType : undefined };
  } catch (error) {
    throw classify(error, timedOut());
  } finally {
    clearTimeout(timeout);
    agents.destroy();
  }
}

interface ReadLimits {
  maxBytes: number;
  budget: ByteBudget;
  abort: () => void;
  declaredBytes?: number;
}

/**
 * Reads the body up to `maxBytes` and within the mail's budget. The bytes go into one growing buffer,
 * so a large file is held about once rather than as chunks plus their concatenation. A declared length
 * sizes that buffer only as far as bytes back it: never more than 1 MB ahead of what arrived, so
 * responses that claim gigabytes and send one byte cannot reserve memory.
 */
async function readCapped(body: Readable, limits: ReadLimits): Promise<Buffer> {
  const { maxBytes, budget, declaredBytes } = limits;
  const stop = (failure: DownloadFailure): never => {
    // Stop reading now: neither memory nor the time budget is spent on the rest.
    limits.abort();
    body.destroy();
    throw new DownloadError(failure);
  };
  let buffer = Buffer.alloc(0);
  let total = 0;
  for await (const chunk of body) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    const needed = total + bytes.length;
    if (needed > maxBytes) stop({ kind: "tooLarge", maxBytes });
    if (!budget.take(bytes.length)) stop({ kind: "overBudget", limit: budget.limit });
    if (needed > buffer.length) {
      const grown = Buffer.allocUnsafe(nextCapacity(needed, maxBytes, declaredBytes));
      buffer.copy(grown, 0, 0, total);
      buffer = grown;
    }
    bytes.copy(buffer, total);
    total = needed;
  }
  // A shorter body than declared keeps only what arrived (the copy happens only when the server lied).
  return total === buffer.length ? buffer : Buffer.from(buffer.subarray(0, total));
}

/** Room for `needed` bytes and more: up to the declared length but at most 1 MB (or double) ahead, never past the limit. */
function nextCapacity(needed: number, maxBytes: number, declaredBytes: number | undefined): number {
  const wanted = declaredBytes !== undefined && declaredBytes >= needed ? Math.min(declaredBytes, Math.max(needed * 2, needed + MAX_PREALLOCATED_BYTES)) : needed * 2;
  return Math.min(wanted, maxBytes);
}

function classify(error: unknown, timedOut: boolean): DownloadError {
  if (error instanceof DownloadError) return error;
  const chain = causes(error);
  const blocked = chain.find((entry): entry is BlockedAddressError => entry instanceof BlockedAddressError);
  if (blocked) return new DownloadError({ kind: "blocked", detail: blocked.message });
  if (timedOut) return new DownloadError({ kind: "timeout" });
  const codes = chain.map((entry) => (entry as { code?: unknown }).code).filter((code): code is string => typeof code === "string");
  if (codes.includes("ERR_FR_TOO_MANY_REDIRECTS")) return new DownloadError({ kind: "redirects" });
  if (codes.includes("ECONNABORTED") || codes.includes("ETIMEDOUT")) return new DownloadError({ kind: "timeout" });
  return new DownloadError({ kind: "network", detail: describeNetworkError(codes) });
}

function describeNetworkError(codes: string[]): string {
  const has = (...wanted: string[]) => wanted.some((code) => codes.includes(code));
  if (has("ENOTFOUND", "EAI_AGAIN")) return "the host name could not be resolved";
  if (has("ECONNREFUSED")) return "the server refused the connection";
  if (has("ECONNRESET", "EPIPE")) return "the server closed the connection";
  if (has("EHOSTUNREACH", "ENETUNREACH")) return "the host is not reachable";
  if (codes.some((code) => /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code))) return "the server's TLS certificate is not trusted";
  if (has("ERR_FR_REDIRECTION_FAILURE", "ERR_INVALID_URL", "ERR_FR_INVALID_URL")) return "it redirected to an address that is not an http(s) URL";
  const code = codes.find((entry) => !entry.startsWith("ERR_BAD"));
  return code ? `the request failed (${code})` : "the request failed";
}

/** The error and everything it wraps (`cause`, AggregateError's `errors`). */
function causes(error: unknown): unknown[] {
  const seen: unknown[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.length < 20) {
    const current = queue.shift();
    if (current === undefined || current === null || seen.includes(current)) continue;
    seen.push(current);
    if (typeof current === "object") {
      const { cause, errors } = current as { cause?: unknown; errors?: unknown };
      queue.push(cause);
      if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
    }
  }
  return seen;
}
