import http from "node:http";
import zlib from "node:zlib";
import { closeHttpServer, listenOnLoopback } from "../../support/listenOnLoopback";

export interface FileRoute {
  body: Buffer;
  contentType?: string;
  /** Send no Content-Length (chunked), so only the streaming count can enforce a limit. */
  chunked?: boolean;
  gzip?: boolean;
  status?: number;
  /** Send the headers and the first chunk, then nothing more (for timeouts mid-download). */
  stall?: boolean;
  /** Wait this long between 64 KB pieces, like a real network: loopback would otherwise hand a whole file to the kernel's buffers at once. */
  paceMs?: number;
  /** Answer only once this settles (the request is recorded at once). */
  gate?: Promise<void>;
}

/**
 * A tiny HTTP server on 127.0.0.1 for URL attachments. Routes: registered files, "/redirect/N/<path>"
 * which redirects N times before landing on <path>, and counting of requests per path.
 */
export interface HttpFileServer {
  origin: string;
  url(path: string): string;
  serve(path: string, route: FileRoute): void;
  requests: string[];
  /** Bytes actually written per path (to prove an over-limit download was cut short). */
  bytesSent: Map<string, number>;
  close(): Promise<void>;
}

export async function startHttpFileServer(): Promise<HttpFileServer> {
  const routes = new Map<string, FileRoute>();
  const requests: string[] = [];
  const bytesSent = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = decodeURI((req.url ?? "/").split("?")[0] ?? "/");
    requests.push(path);
    const redirect = /^\/redirect\/(\d+)(\/.*)$/.exec(path);
    if (redirect) {
      const remaining = Number(redirect[1]);
      const target = remaining <= 1 ? (redirect[2] ?? "/") : `/redirect/${remaining - 1}${redirect[2] ?? "/"}`;
      res.writeHead(302, { Location: encodeURI(target) });
      res.end();
      return;
    }
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("not found");
      return;
    }
    if (route.gate) {
      const gate = route.gate;
      void gate.then(() => answer(route, path, req, res));
      return;
    }
    answer(route, path, req, res);
  });
  const answer = (route: FileRoute, path: string, req: http.IncomingMessage, res: http.ServerResponse): void => {
    const body = route.gzip ? zlib.gzipSync(route.body) : route.body;
    const headers: http.OutgoingHttpHeaders = {};
    if (route.contentType) headers["Content-Type"] = route.contentType;
    if (route.gzip) headers["Content-Encoding"] = "gzip";
    if (!route.chunked) headers["Content-Length"] = body.length;
    res.writeHead(route.status ?? 200, headers);
    // Write in 64 KB pieces, honouring back-pressure, so a client abort stops the flow early.
    let offset = 0;
    if (route.stall) {
      res.write(body.subarray(0, 1024));
      return;
    }
    const writeMore = (): void => {
      while (offset < body.length) {
        if (res.destroyed) return;
        const chunk = body.subarray(offset, offset + 65536);
        offset += chunk.length;
        bytesSent.set(path, (bytesSent.get(path) ?? 0) + chunk.length);
        const flushed = res.write(chunk);
        if (route.paceMs !== undefined) {
          // Drain may have come and gone while waiting: ask the stream, not the old write's answer.
          setTimeout(() => (res.writableNeedDrain ? res.once("drain", writeMore) : writeMore()), route.paceMs);
          return;
        }
        if (!flushed) {
          res.once("drain", writeMore);
          return;
        }
      }
      res.end();
    };
    res.on("error", () => undefined);
    req.socket.on("error", () => undefined);
    writeMore();
  };
  const port = await listenOnLoopback(server, "http file server");
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    serve: (path, route) => routes.set(path, route),
    requests,
    bytesSent,
    close: () => closeHttpServer(server),
  };
}
