import { createDeadline, type Deadline } from "../../../src/deadline/deadline";

/** A generous deadline that a test disposes of when done. */
export function testDeadline(totalMs = 15_000): Deadline {
  return createDeadline(totalMs);
}
