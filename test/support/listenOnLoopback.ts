import type { Server } from "node:net";

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
