import type { Deadline } from "./deadline";

/**
 * Settles with `work`, or rejects with the deadline's timeout error as soon as the budget is spent,
 * whichever comes first, so no step can hang past the node's time limit. `onTimeout` runs first on
 * a timeout, to tear down what `work` holds. A late rejection of `work` is absorbed, never unhandled.
 */
export function raceDeadline<T>(work: Promise<T>, deadline: Deadline, step: string, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const expire = () => {
      onTimeout?.();
      reject(deadline.timeoutError(step));
    };
    if (deadline.expired || deadline.remainingMs() <= 0) {
      work.catch(() => undefined);
      expire();
      return;
    }
    // A fresh `expire` per race, so forgetting it never cancels another race.
    deadline.whenExpired(expire);
    work.then(
      (value) => {
        deadline.forget(expire);
        resolve(value);
      },
      (error: unknown) => {
        deadline.forget(expire);
        reject(error);
      },
    );
  });
}
