/**
 * Benchmarks for issue #6. Starts its own servers on 127.0.0.1, runs every benchmark, prints a table
 * and rewrites bench/RESULTS.md. Not part of `npm test`.
 *
 *   npm run bench                 # all
 *   npm run bench -- tokens memory  # some: overhead, reuse, concurrency, tokens, memory, startup, cold, warm
 *
 * Exit code 0 when every benchmark ran, also when a target is missed (the table says which);
 * 1 when a benchmark could not run at all.
 */
import os from "node:os";
import path from "node:path";
import { closeAllTransports } from "../src/delivery";
import { cold } from "./cold";
import { concurrency } from "./concurrency";
import type { BenchResult } from "./harness";
import { memory } from "./memory";
import { nodeOverhead } from "./nodeOverhead";
import { consoleTable, machine, missedTargets, writeResultsMarkdown } from "./report";
import { reuse } from "./reuse";
import { elapsedMs, fmt } from "./stats";
import { startup } from "./startup";
import { tokens } from "./tokens";
import { warm } from "./warm";

const BENCHMARKS: Record<string, () => Promise<BenchResult>> = {
  overhead: nodeOverhead,
  reuse,
  concurrency,
  tokens,
  memory,
  startup,
  cold,
  warm,
};

/** The whole run takes a few minutes; this only fires if something hangs. */
const WATCHDOG_MS = 480_000;

async function main(): Promise<number> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Choose from: ${Object.keys(BENCHMARKS).join(", ")}.`);
    return 1;
  }
  const selected = requested.length > 0 ? Object.keys(BENCHMARKS).filter((name) => requested.includes(name)) : Object.keys(BENCHMARKS);
  const m = machine();
  console.log(`smtp-email benchmarks: ${selected.join(", ")}`);
  console.log(`${m.os}; ${m.cpu}, ${m.cores} cores; Node.js ${m.node}\n`);

  const startedAt = new Date();
  const loadBefore = os.loadavg();
  const start = process.hrtime.bigint();
  const results: BenchResult[] = [];
  const errors: string[] = [];
  for (const name of selected) {
    const benchStart = process.hrtime.bigint();
    process.stdout.write(`running ${name} ... `);
    try {
      const result = await BENCHMARKS[name]!();
      results.push(result);
      console.log(`${fmt(elapsedMs(benchStart) / 1000, 1)} s`);
      for (const figure of result.figures) console.log(`  ${figure.name}: ${figure.measured}${figure.target ? ` (target ${figure.target})` : ""}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.log(`FAILED after ${fmt(elapsedMs(benchStart) / 1000, 1)} s: ${message}`);
      errors.push(`${name}: ${message}`);
      results.push({ title: `${Object.keys(BENCHMARKS).indexOf(name) + 1}. ${name}`, figures: [{ name: "ran", measured: "error", target: "runs", met: false }], details: [message] });
    } finally {
      await closeAllTransports();
    }
  }
  const durationMs = elapsedMs(start);

  console.log(`\n${consoleTable(results)}\n`);
  const missed = missedTargets(results);
  console.log(missed.length === 0 ? "All targets met." : `Targets missed (${missed.length}):\n${missed.map((line) => `  - ${line}`).join("\n")}`);
  const file = writeResultsMarkdown(results, {
    command: `npm run bench${requested.length > 0 ? ` -- ${requested.join(" ")}` : ""}`,
    startedAt,
    durationMs,
    loadBefore,
    loadAfter: os.loadavg(),
    errors,
  });
  console.log(`\nWrote ${path.relative(process.cwd(), file)} (${fmt(durationMs / 1000, 1)} s in total).`);
  return errors.length === 0 ? 0 : 1;
}

/** Handles open before any benchmark ran (stdio pipes and the like); anything beyond them at the end was leaked. */
const resourcesAtStart = process.getActiveResourcesInfo();

function leakedResources(): string[] {
  const remaining = [...resourcesAtStart];
  return process.getActiveResourcesInfo().filter((kind) => {
    const index = remaining.indexOf(kind);
    if (index < 0) return true;
    remaining.splice(index, 1);
    return false;
  });
}

const watchdog = setTimeout(() => {
  console.error(`\nBenchmarks still running after ${WATCHDOG_MS / 1000} s: giving up.`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

/** Sockets and servers finish closing a moment after close() returns; give them up to two seconds. */
async function drained(): Promise<string[]> {
  for (let waited = 0; waited < 2_000; waited += 50) {
    if (leakedResources().length === 0) return [];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return leakedResources();
}

main().then(
  async (code) => {
    const leaked = await drained();
    if (leaked.length > 0) {
      // Something was not closed: say so, and do not let it keep the process alive.
      console.warn(`Note: still open two seconds after the last benchmark: ${leaked.join(", ")}`);
      process.exit(code);
    }
    // Everything is closed: the process ends on its own, as a clean shutdown should.
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
