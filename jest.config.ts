import type { Config } from "jest";

const config: Config = {
  testEnvironment: "node",
  roots: ["<rootDir>/src", "<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // Real servers and sockets: give slow CI machines room, but never hang.
  testTimeout: 30000,
  // Every stored result and log line of every test file is scanned for the test secrets.
  setupFilesAfterEnv: ["<rootDir>/test/support/secretScan.ts"],
  // The tests start real SMTP servers; two workers match the machine's two cores.
  maxWorkers: 2,
  // No test leaves a handle open: a worker's event loop is empty within milliseconds of Jest's end message.
  // What remains is the process freeing its V8 heap, page by page; at the 300+ MB a worker reaches after
  // some 27 files, that took 450 ms and more, past the 500 ms Jest allows before it reports a forced exit.
  // A worker that holds more than this after a test file is replaced, so the last ones free half as much.
  workerIdleMemoryLimit: "250MB",
};

export default config;
