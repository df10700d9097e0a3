/**
 * The secrets node-level tests configure. Every transcript of the Cognigy API stand-in (stored results,
 * log lines) is scanned for them after each test file: see secretScan.ts.
 */
export const TEST_SECRETS = {
  password: "s3cret-Pa55word!",
  wrongPassword: "wr0ng-Pa55word!",
  clientSecret: "cl1ent-s3cret-value~",
  refreshToken: "refresh-t0ken-1234567890",
  accessToken: "access-t0ken-abcdefghij",
  /** Every character that percent-, form- and JSON-encoding change. */
  specialSecret: 'sp3cial "secret" +&=/%~\\ value',
} as const;

/** Secrets tests add at run time, e.g. tokens a test token endpoint issued. */
export const runtimeSecrets = new Set<string>();

export function allTestSecrets(): string[] {
  return [...Object.values(TEST_SECRETS), ...runtimeSecrets];
}
