import { domainToASCII } from "node:url";

/**
 * Checks that an address is a plausible local@domain mailbox. Deliberately stricter than RFC 5322
 * (no quoted local parts, no domain literals, no dotless domains): those are almost always typos in a
 * flow, and a clear error now beats a bounce later. Unicode is welcome on both sides (RFC 6531).
 * Returns the reason when the address is not usable, undefined when it is.
 */
export function emailAddressProblem(address: string): string | undefined {
  if (address === "") return "it is empty";
  if (/[\s\u0000-\u001f\u007f]/.test(address)) return "it contains spaces or control characters";
  const at = address.lastIndexOf("@");
  if (at < 0) return 'it has no "@"';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local === "") return 'nothing comes before the "@"';
  if (domain === "") return 'no domain follows the "@"';
  return localPartProblem(local) ?? domainProblem(domain);
}

// atext of RFC 5322 plus any non-ASCII character (RFC 6531); dots only between atoms.
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u0080-\\uffff-]+";
const DOT_ATOM = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`);

function localPartProblem(local: string): string | undefined {
  if (Buffer.byteLength(local, "utf8") > 64) return "the part before the @ is longer than 64 bytes";
  if (!DOT_ATOM.test(local)) return "the part before the @ contains characters an address cannot have";
  return undefined;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

function domainProblem(domain: string): string | undefined {
  // domainToASCII applies IDNA (UTS #46) and answers "" for names it cannot convert.
  const ascii = domainToASCII(domain);
  if (ascii === "") return `the domain "${domain}" is not a valid domain name`;
  if (ascii.length > 253) return "the domain is longer than 253 characters";
  const labels = ascii.split(".");
  if (labels.length < 2) return `the domain "${domain}" has no top-level domain (like .com)`;
  if (!labels.every((label) => LABEL.test(label))) return `the domain "${domain}" is not a valid domain name`;
  if (!TOP_LEVEL.test(labels[labels.length - 1] ?? "")) return `the domain "${domain}" does not end in a valid top-level domain`;
  return undefined;
}

/** True when the part before the "@" holds non-ASCII: such a mailbox can only travel with SMTPUTF8. */
export function hasInternationalLocalPart(address: string): boolean {
  const at = address.lastIndexOf("@");
  return /[^\x00-\x7f]/.test(at < 0 ? address : address.slice(0, at));
}
