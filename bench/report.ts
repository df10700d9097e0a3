/** The final table on the console and bench/RESULTS.md, always from the run that just finished. */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchResult } from "./harness";
import { fmt, markdownTable, textTable } from "./stats";

export interface Machine {
  os: string;
  cpu: string;
  cores: number;
  memory: string;
  node: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memory: `${fmt(os.totalmem() / 1024 ** 3, 1)} GiB`,
    node: process.version,
  };
}

const HEADER = ["Figure", "Measured", "Target", "Met"] as const;

function rows(results: readonly BenchResult[]): string[][] {
  return results.flatMap((result) =>
    result.figures.map((figure) => [`${result.title.split(" ")[0]} ${figure.name}`, figure.measured, figure.target || "—", figure.met === undefined ? "—" : figure.met ? "yes" : "NO"]),
  );
}

export function missedTargets(results: readonly BenchResult[]): string[] {
  return results.flatMap((result) => result.figures.filter((figure) => figure.met === false).map((figure) => `${result.title.split(" ")[0]} ${figure.name}: ${figure.measured} (target ${figure.target})`));
}

export function consoleTable(results: readonly BenchResult[]): string {
  return textTable(HEADER, rows(results));
}

export interface RunInfo {
  command: string;
  startedAt: Date;
  durationMs: number;
  loadBefore: number[];
  loadAfter: number[];
  errors: string[];
}

export function writeResultsMarkdown(results: readonly BenchResult[], info: RunInfo): string {
  const m = machine();
  const missed = missedTargets(results);
  const load = (values: number[]) => values.map((value) => fmt(value, 2)).join(" / ");
  const lines = [
    "# Benchmark results",
    "",
    "Written by `npm run bench` (bench/run.ts) at the end of every run: everything below is from the run that wrote it.",
    "",
    `- Command: \`${info.command}\``,
    `- Started: ${info.startedAt.toISOString()}, took ${fmt(info.durationMs / 1000, 1)} s`,
    `- Machine: ${m.os}; ${m.cpu}, ${m.cores} cores; ${m.memory} RAM; Node.js ${m.node}`,
    `- Load average (1/5/15 min) before: ${load(info.loadBefore)}, after: ${load(info.loadAfter)} (other work on the machine adds noise; the interleaved rounds spread it over all variants)`,
    "",
    "## Summary",
    "",
    markdownTable(HEADER, rows(results)),
    "",
    missed.length === 0 ? "All targets met." : `Targets missed (${missed.length}):\n\n${missed.map((line) => `- ${line}`).join("\n")}`,
    ...(info.errors.length > 0 ? ["", "## Errors", "", ...info.errors.map((error) => `- ${error}`)] : []),
    "",
    "## Details",
    "",
  ];
  for (const result of results) lines.push(`### ${result.title}`, "", ...result.details.map((detail) => `- ${detail}`), "", ...(result.blocks ?? []).flatMap((block) => [block, ""]));
  const file = path.join(__dirname, "RESULTS.md");
  writeFileSync(file, `${lines.join("\n").trimEnd()}\n`);
  return file;
}
