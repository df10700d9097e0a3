import net from "node:net";
import type { AttachmentSeams } from "../../src/attachments";

/** The test file servers listen on loopback, which the network guard refuses to flows whatever they allow. */
const loopback = new net.BlockList();
loopback.addAddress("127.0.0.1", "ipv4");
loopback.addAddress("::1", "ipv6");

/** Passed by test code (never node config) so downloads may reach the file servers on 127.0.0.1 and ::1. */
export const trustLoopback: AttachmentSeams = { trustedAddresses: loopback };
