import { runSendSmtpEmail } from "../../src/execution/runSendSmtpEmail";
import { cognigyApiStandIn, transcriptsOfThisFile } from "../support/cognigyApiStandIn";
import { findLeaks } from "../support/findLeaks";
import { allTestSecrets, TEST_SECRETS } from "../support/testSecrets";

describe("the secret scan", () => {
  it("finds a secret in a transcript", () => {
    expect(findLeaks(['{"log":"password s3cret-Pa55word! rejected"}', "{}"], allTestSecrets())).toEqual([TEST_SECRETS.password]);
    expect(findLeaks(["nothing here"], allTestSecrets())).toEqual([]);
  });

  it("sees what a node handed to the stand-in, even when the config was broken", async () => {
    const cognigy = cognigyApiStandIn();
    // A flow designer pasted the password into a field whose value the error message quotes.
    await runSendSmtpEmail(cognigy.api, {
      emailService: `Mail ${TEST_SECRETS.password}`,
      authMethod: "basic",
      basicConnection: { username: "u@example.com", password: TEST_SECRETS.password },
      to: "x@example.com",
      subject: TEST_SECRETS.password,
      storeLocation: "input",
      inputKey: "result",
    });
    expect(transcriptsOfThisFile().join("")).toContain("[redacted]");
    expect(findLeaks(transcriptsOfThisFile(), allTestSecrets())).toEqual([]);
  });
});
