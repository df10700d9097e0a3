import { createHash } from "node:crypto";

/** The scheme the cache keys used before: a plain SHA-256 that anyone can recompute from a guessed password. */
function plainSha256(kind: string, ...parts: string[]): string {
  const hash = createHash("sha256").update(kind);
  for (const part of parts) hash.update(`\u0000${Buffer.byteLength(part)}:`).update(part);
  return hash.digest("hex");
}

function freshCredentialHash(): typeof import("../../src/oauth2/credentialHash").credentialHash {
  let loaded: typeof import("../../src/oauth2/credentialHash") | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<typeof import("../../src/oauth2/credentialHash")>("../../src/oauth2/credentialHash");
  });
  return loaded!.credentialHash;
}

test("cache keys are keyed hashes: a guessed password cannot be checked against a key", () => {
  const credentialHash = freshCredentialHash();
  const key = credentialHash("basic", "alice", "password1");
  expect(key).toMatch(/^[0-9a-f]{64}$/);
  expect(key).not.toBe(plainSha256("basic", "alice", "password1"));
  expect(key).not.toBe(createHash("sha256").update("password1").digest("hex"));
});

test("equal credentials give equal keys within a process, and the key differs in another process", () => {
  const first = freshCredentialHash();
  const second = freshCredentialHash();
  expect(first("basic", "alice", "pw")).toBe(first("basic", "alice", "pw"));
  expect(first("basic", "alice", "pw")).not.toBe(first("basic", "alice", "pw2"));
  expect(first("basic", "ab", "c")).not.toBe(first("basic", "a", "bc"));
  // A fresh module instance draws a fresh key, as a new process does.
  expect(first("basic", "alice", "pw")).not.toBe(second("basic", "alice", "pw"));
});
