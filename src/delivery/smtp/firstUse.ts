/**
 * Which servers and logins (slot keys) this process has sent to, by the pool or on a session of its own.
 * Kept apart from the pool so that a cold send can ask without loading the pool's code first.
 */

/** Remembered at most; a key forgotten (or never seen) gets a session of its own again, which is only slower. */
const MAX_REMEMBERED = 1_000;
const used = new Set<string>();

/**
 * True once per slot key: the first send to a server and login in this process (in a runtime that
 * starts a process per execution, every send). That send sets up a session of its own while its
 * message is prepared; every later one uses the pool.
 */
export function claimFirstUse(slotKey: string): boolean {
  if (used.has(slotKey)) return false;
  markUsed(slotKey);
  return true;
}

/** The pool serves this key (it may have been created without a first send, e.g. by a test). */
export function markUsed(slotKey: string): void {
  if (used.has(slotKey)) return;
  if (used.size >= MAX_REMEMBERED) used.delete(used.values().next().value as string);
  used.add(slotKey);
}

/** With every transport closed, the next send to each server is a first one again. */
export function forgetUses(): void {
  used.clear();
}
