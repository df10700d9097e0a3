/**
 * The bytes all attachments of one mail may still take. Parallel downloads draw from the same budget
 * as their bytes arrive, so together they cannot hold more memory than one mail is allowed.
 */
export class ByteBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  get remaining(): number {
    return this.limit - this.used;
  }

  /** Takes `bytes`; false, with nothing taken, when they do not fit. */
  take(bytes: number): boolean {
    if (bytes > this.remaining) return false;
    this.used += bytes;
    return true;
  }
}
