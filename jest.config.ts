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
};

export default config;
