/**
 * Runs after every test file (jest setupFilesAfterEnv): nothing the nodes handed to the Cognigy API
 * stand-in (stored results, context, log lines) may contain a test secret or an issued token, in any
 * encoding: findLeaks decodes Base64, percent- and form-encoding and JSON escapes before it searches.
 */
import { transcriptsOfThisFile } from "./cognigyApiStandIn";
import { findLeaks } from "./findLeaks";
import { allTestSecrets } from "./testSecrets";

afterAll(() => {
  const leaks = findLeaks(transcriptsOfThisFile(), allTestSecrets());
  // The secret itself is not printed: the test output is a log too.
  if (leaks.length > 0) throw new Error(`${leaks.length} test secret(s) reached a stored result or log line.`);
});
