/**
 * How a deadline runs out. Its cheap stand-in for an AbortSignal (what nodemailer and the token cache
 * get) behaves like a real one where they rely on it: listeners fire once at expiry, removed or late
 * ones never. All deadlines share one clock, which still ends each on time.
 */
import { createDeadline } from "../../src/deadline/deadline";
import { ExpiryClock } from "../../src/deadline/expiryClock";
import { sleep } from "./helpers/fixtures";

test("before expiry: not aborted, no reason; at expiry every listener fires once and the state flips", async () => {
  const deadline = createDeadline(30);
  const watch = deadline.abortWatch;
  const calls: string[] = [];
  const kept = () => calls.push("kept");
  const removed = () => calls.push("removed");
  watch.addEventListener("abort", kept, { once: true });
  watch.addEventListener("abort", removed, { once: true });
  watch.removeEventListener("abort", removed);
  expect(watch.aborted).toBe(false);
  expect(watch.reason).toBeUndefined();
  await sleep(80);
  expect(calls).toEqual(["kept"]);
  expect(watch.aborted).toBe(true);
  expect(deadline.expired).toBe(true);
  expect(watch.reason).toBeInstanceOf(Error);
  // As with an AbortSignal, a listener added after the fact is not called.
  watch.addEventListener("abort", () => calls.push("late"));
  await sleep(10);
  expect(calls).toEqual(["kept"]);
  deadline.dispose();
});

test("the real AbortSignal, made on first use, is aborted with the deadline, also when asked for only afterwards", async () => {
  const early = createDeadline(30);
  const signal = early.signal;
  const late = createDeadline(30);
  await sleep(80);
  expect(signal.aborted).toBe(true);
  expect(late.signal.aborted).toBe(true);
  early.dispose();
  late.dispose();
});

test("a disposed deadline calls nobody", async () => {
  const deadline = createDeadline(30);
  const calls: string[] = [];
  deadline.abortWatch.addEventListener("abort", () => calls.push("fired"));
  deadline.dispose();
  await sleep(80);
  expect(calls).toEqual([]);
});

test("deadlines share one clock: a short budget started after a long one still runs out on time, the long one later", async () => {
  const expired: string[] = [];
  const long = createDeadline(400);
  long.whenExpired(() => expired.push("long"));
  const started = Date.now();
  const short = createDeadline(40);
  short.whenExpired(() => expired.push(`short after ${Date.now() - started} ms`));
  await sleep(150);
  expect(expired).toHaveLength(1);
  expect(expired[0]).toMatch(/^short after \d+ ms$/);
  expect(Number(/\d+/.exec(expired[0]!)![0])).toBeGreaterThanOrEqual(39);
  expect(long.expired).toBe(false);
  await sleep(350);
  expect(expired).toEqual([expect.stringMatching(/^short/), "long"]);
  long.dispose();
  short.dispose();
});

test("a disposed deadline never runs out, also when the clock's timer was armed for it", async () => {
  const disposed = createDeadline(30);
  const calls: string[] = [];
  disposed.whenExpired(() => calls.push("disposed"));
  disposed.dispose();
  const later = createDeadline(90);
  later.whenExpired(() => calls.push("later"));
  await sleep(150);
  expect(calls).toEqual(["later"]);
  expect(disposed.expired).toBe(false);
  later.dispose();
});

test("an expiry that throws stops neither the clock nor the other expiries; the failure still surfaces", () => {
  const clock = new ExpiryClock();
  const expired: string[] = [];
  const past = Date.now() - 1;
  clock.add({ expiresAt: past, expire: () => { throw new Error("expiry failed"); } });
  clock.add({ expiresAt: past, expire: () => expired.push("second") });
  clock.add({ expiresAt: Date.now() + 60_000, expire: () => expired.push("later") });
  expect(() => clock.fire()).toThrow("expiry failed");
  expect(expired).toEqual(["second"]);
});
