import type { Socket } from "node:net";
import SMTPConnection, { type SMTPConnectionOptions } from "nodemailer/lib/smtp-connection";

/**
 * nodemailer's SMTP client (the one its pool uses) on a socket that is already connecting. In a module of
 * its own, imported once the socket is on its way: the client is ~30 ms to load on a cold process, time
 * that then overlaps with the TCP handshake and the server's greeting instead of coming before them.
 * A dynamic import of our own module keeps nodemailer's CommonJS build (see xoauth2Login).
 */
export function smtpClientOn(socket: Socket, options: SMTPConnectionOptions): SMTPConnection {
  // With `connection`, nodemailer skips its own DNS lookup and connect and speaks on this socket (for
  // implicit TLS it starts the handshake on it first, as it does on a socket it opened itself).
  return new SMTPConnection({ ...options, connection: socket });
}
