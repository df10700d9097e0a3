import type wellKnownLookup from "nodemailer/lib/well-known";

type Lookup = typeof wellKnownLookup;
type ServiceTable = Record<string, { description?: string }>;

let lookup: Lookup | undefined;
let table: ServiceTable | undefined;

/*
 * nodemailer's table of well-known services (services.json and its lookup), loaded on first use: a send to
 * an SMTP host of the designer's own, or through Microsoft Graph, never needs it, and loading it cost 5–12 ms
 * before a cold send could connect. A synchronous require, since config validation is synchronous; the
 * bundle holds these two modules (scripts/bundle.mjs) and runs them on this first require.
 */

/** nodemailer's settings for a well-known service name (any case, aliases too), or false. */
export function wellKnownService(name: string): ReturnType<Lookup> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  lookup ??= require("nodemailer/lib/well-known") as Lookup;
  return lookup(name);
}

/** Every well-known service by its name, for the Email Service list. */
export function wellKnownServiceTable(): ServiceTable {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  table ??= require("nodemailer/lib/well-known/services.json") as ServiceTable;
  return table;
}
