/**
 * Last line of defence: replaces any known secret that slipped into a text (a server quoting the AUTH
 * payload it rejected, a token endpoint echoing its request) before the text is logged or stored.
 * Errors are built without secrets already.
 */
import { base64Forms, formEncode, textForms } from "./secretForms";

export const REDACTED = "[redacted]";

/**
 * What a secret is, which decides the payloads it travels in: a password goes out in AUTH PLAIN and
 * LOGIN, an access token in the XOAUTH2 string, a client secret in an HTTP Basic header with the client ID.
 */
export type SecretKind = "password" | "accessToken" | "clientSecret" | "other";

export interface SecretOwner {
  /** The login name: part of the AUTH PLAIN and XOAUTH2 payloads. */
  user?: string;
  /** The OAuth2 client ID: part of the HTTP Basic header. */
  clientId?: string;
}

/** Every form of a set's secrets, shared between copies until one of them adds a secret. */
class Forms {
  readonly all: Set<string>;
  /** No text shorter than the shortest form can hold one. */
  shortest: number;
  /**
   * The forms that contain no other form: a text holds some form exactly when it holds one
   * of these (a Base64 whole holds its core, a padded form its unpadded one), so a look needs only these.
   */
  private probeList?: string[];

  constructor(from?: Forms) {
    this.all = new Set(from?.all);
    this.shortest = from?.shortest ?? Infinity;
    this.probeList = from?.probeList?.slice();
  }

  add(form: string): void {
    if (form === "" || this.all.has(form)) return;
    this.all.add(form);
    if (form.length < this.shortest) this.shortest = form.length;
    // Kept up to date once built: a token added on every send must not rebuild the list each time.
    const probes = this.probeList;
    if (!probes || probes.some((probe) => form.includes(probe))) return;
    this.probeList = probes.filter((probe) => !probe.includes(form));
    this.probeList.push(form);
  }

  probes(): string[] {
    if (!this.probeList) {
      const kept: string[] = [];
      for (const form of [...this.all].sort((a, b) => a.length - b.length)) {
        if (!kept.some((shorter) => form.includes(shorter))) kept.push(form);
      }
      this.probeList = kept;
    }
    return this.probeList;
  }
}

/**
 * The secrets of one send and every form they may take, computed once when a secret is added; a token
 * obtained at run time is added when it arrives. Redacting is a few indexOf scans per form, linear in the text.
 */
export class SecretSet {
  private forms = new Forms();
  /** True while `forms` is shared with copies: the first add then takes a private copy (copy on write). */
  private shared = false;

  constructor(private readonly owner: SecretOwner = {}) {}

  /** Plain values of unknown kind (raw config that failed to parse, a list of secrets). */
  static of(values: ReadonlyArray<string | undefined>, owner: SecretOwner = {}): SecretSet {
    const set = new SecretSet(owner);
    for (const value of values) set.add(value, "other");
    return set;
  }

  /** An independent set with the same secrets, to add a send's tokens to without touching this one. Cheap: the forms are shared until either side adds. */
  copy(): SecretSet {
    const copy = new SecretSet(this.owner);
    copy.forms = this.forms;
    copy.shared = true;
    this.shared = true;
    return copy;
  }

  /** Adds a secret of any length (a configured value is secret however short) with all its forms. */
  add(secret: string | undefined, kind: SecretKind): this {
    if (!secret) return this;
    if (this.shared) {
      this.forms = new Forms(this.forms);
      this.shared = false;
    }
    for (const form of textForms(secret)) this.forms.add(form);
    for (const payload of this.payloads(secret, kind)) {
      for (const form of base64Forms(payload)) this.forms.add(form);
    }
    return this;
  }

  /** Whether `text` holds any form of any secret: what redact would change, without building anything. */
  occursIn(text: string): boolean {
    if (text.length < this.forms.shortest) return false;
    for (const probe of this.forms.probes()) if (text.includes(probe)) return true;
    return false;
  }

  /** Every occurrence of any form of any secret replaced by "[redacted]". */
  redact(text: string): string {
    if (!this.occursIn(text)) return text;
    const spans: Array<[number, number]> = [];
    for (const needle of this.forms.all) {
      for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) spans.push([at, at + needle.length]);
    }
    if (spans.length === 0) return text;
    // Overlapping matches (a Base64 core inside a whole Base64 form) become one replacement.
    spans.sort((a, b) => a[0] - b[0]);
    let out = "";
    let copiedTo = 0;
    let spanStart = spans[0][0];
    let spanEnd = spans[0][1];
    for (const [start, end] of spans) {
      if (start <= spanEnd) {
        spanEnd = Math.max(spanEnd, end);
        continue;
      }
      out += text.slice(copiedTo, spanStart) + REDACTED;
      copiedTo = spanEnd;
      spanStart = start;
      spanEnd = end;
    }
    return out + text.slice(copiedTo, spanStart) + REDACTED + text.slice(spanEnd);
  }

  /** The strings the secret travels in, each of which is searched for in Base64. */
  private payloads(secret: string, kind: SecretKind): string[] {
    const { user, clientId } = this.owner;
    const payloads = [secret];
    if (kind === "password" && user !== undefined) {
      // AUTH PLAIN (RFC 4616), without and with an authorization identity. LOGIN sends the password alone.
      payloads.push(`\u0000${user}\u0000${secret}`, `${user}\u0000${user}\u0000${secret}`);
    }
    if (kind === "accessToken" && user !== undefined) payloads.push(`user=${user}\u0001auth=Bearer ${secret}\u0001\u0001`);
    if (kind === "clientSecret") {
      payloads.push(formEncode(secret));
      if (clientId !== undefined) payloads.push(`${clientId}:${secret}`, `${formEncode(clientId)}:${formEncode(secret)}`);
    }
    return payloads;
  }
}

type Secrets = SecretSet | ReadonlyArray<string | undefined>;

const asSet = (secrets: Secrets): SecretSet => (secrets instanceof SecretSet ? secrets : SecretSet.of(secrets));

export function redactSecrets(text: string, secrets: Secrets): string {
  return asSet(secrets).redact(text);
}

/**
 * Applies redactSecrets to every string inside a plain JSON-like value: a copy with the secrets replaced,
 * or the value itself when nothing in it needed redacting (the usual case, so no copy per send).
 */
export function redactValue<T>(value: T, secrets: Secrets): T {
  const set = asSet(secrets);
  // The usual case, nothing to redact in plain data, is found by a look that allocates nothing.
  if (!needsCopy(value, set, 0)) return value;
  const walk = (item: unknown): unknown => {
    if (typeof item === "string") return set.redact(item);
    if (!item || typeof item !== "object") return item;
    const plainObject = !Array.isArray(item) && Object.getPrototypeOf(item) === Object.prototype;
    const entries = Object.entries(item);
    const walked = entries.map(([key, inner]) => [key, walk(inner)] as const);
    // Anything not plain data is copied into plain data; plain data without a change is kept as it is.
    if ((Array.isArray(item) || plainObject) && walked.every(([, inner], index) => inner === entries[index][1])) return item;
    return Array.isArray(item) ? walked.map(([, inner]) => inner) : Object.fromEntries(walked);
  };
  return walk(value) as T;
}

/** Deeper than any result; past it the full walk decides. */
const MAX_LOOK_DEPTH = 32;

/** True when the walk in redactValue would return anything but `item` itself: a secret in a string, or something not plain data. */
function needsCopy(item: unknown, set: SecretSet, depth: number): boolean {
  if (typeof item === "string") return set.occursIn(item);
  if (!item || typeof item !== "object") return false;
  if (depth >= MAX_LOOK_DEPTH) return true;
  if (Array.isArray(item)) {
    for (let i = 0; i < item.length; i++) if (needsCopy(item[i], set, depth + 1)) return true;
    // Holes or extra properties: the walk decides.
    return Object.keys(item).length !== item.length;
  }
  if (Object.getPrototypeOf(item) !== Object.prototype) return true;
  const record = item as Record<string, unknown>;
  for (const key of Object.keys(record)) if (needsCopy(record[key], set, depth + 1)) return true;
  return false;
}
