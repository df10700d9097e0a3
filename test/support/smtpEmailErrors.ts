import { SmtpEmailError } from "../../src/errors/SmtpEmailError";

/** The SmtpEmailError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejectionOf(promise: Promise<unknown>): Promise<SmtpEmailError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SmtpEmailError) return error;
    throw new Error(`expected an SmtpEmailError, got ${String(error)}`);
  }
  throw new Error("expected a rejection, but the promise resolved");
}

/** The SmtpEmailError a synchronous call throws; fails the test otherwise. */
export function errorOf(run: () => unknown): SmtpEmailError {
  try {
    run();
  } catch (error) {
    if (error instanceof SmtpEmailError) return error;
    throw new Error(`expected an SmtpEmailError, got ${String(error)}`);
  }
  throw new Error("expected an SmtpEmailError, but nothing was thrown");
}
