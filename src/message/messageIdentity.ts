import { randomUUID } from "node:crypto";
import { domainToASCII } from "node:url";
import type { Mailbox } from "./addressList";

/** The per-message random values nodemailer would otherwise draw itself. */
export interface MessageIdentity {
  /** "<8-4-4-4-12 hex@sender's domain>", the shape nodemailer gives its own; absent when nodemailer must pick the domain. */
  messageId?: string;
  /** The random part of every multipart boundary ("--_NmP-<16 hex>-Part_1"); read by nodemailer's composer. */
  baseBoundary: string;
}

/** Letters, digits, dots and hyphens: a domain that can stand after the "@" of a Message-ID as it is. */
const PLAIN_DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/**
 * The domain a Message-ID from this sender ends in: as it is, or an internationalized domain in punycode
 * (as nodemailer would write it). Undefined only for a domain that is neither (left to nodemailer).
 */
export function messageIdDomain(from: Mailbox): string | undefined {
  const domain = from.address.slice(from.address.lastIndexOf("@") + 1);
  if (PLAIN_DOMAIN.test(domain)) return domain;
  const ascii = domainToASCII(domain);
  return PLAIN_DOMAIN.test(ascii) ? ascii : undefined;
}

/**
 * Fresh random identity for one message: its Message-ID (ending in `domain`, see messageIdDomain) and
 * its MIME boundary. nodemailer makes them with six of the eight crypto.randomBytes calls it spends on
 * a message, about as much CPU as all of the node's own work per send (bench figure 8); Node's randomUUID
 * draws from a cached pool of random bytes. Same randomness per value (122 and 64 bits), same shapes. Made per
 * send, never remembered: a retry of the same send keeps its Message-ID, so a receiver can recognise a repeat.
 */
export function messageIdentity(domain: string | undefined, fixedMessageId?: string): MessageIdentity {
  const boundarySource = randomUUID();
  // 16 hex digits from the UUID's fully random parts (its version and variant digits left out).
  const baseBoundary = boundarySource.slice(24) + boundarySource.slice(9, 13);
  // A Message-ID the flow set (a resend keeping the first attempt's identity) wins; the boundary is always fresh.
  if (fixedMessageId !== undefined) return { messageId: fixedMessageId, baseBoundary };
  return domain === undefined ? { baseBoundary } : { messageId: `<${randomUUID()}@${domain}>`, baseBoundary };
}
