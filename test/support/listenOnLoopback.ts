import type { Server } from "node:net";
import type { Server as HttpServer } from "node:http";

/** Listens on 127.0.0.1 on a port the OS picks, and returns that port. */
export async function listenOnLoopback(server: Server, label: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error(`${label}: unexpected listen address`);
  return address.port;
}

/** Stops listening and ends every connection still open, keep-alive ones included. */
export function closeHttpServer(server: HttpServer): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
