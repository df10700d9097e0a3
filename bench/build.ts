/** The built extension the start-up and cold benchmarks run, bundled afresh once per bench run. */
import { spawnSync } from "node:child_process";
import { existsSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { elapsedMs, fmt } from "./stats";

export const ROOT = path.resolve(__dirname, "..");
export const MODULE = path.join(ROOT, "build", "module.js");
const TRANSPILE_TIMEOUT_MS = 120_000;

/** The environment for child processes: no inherited loader flags (tsx runs the bench). */
export function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

let built: { ok: boolean; note: string } | undefined;

/**
 * Runs `npm run transpile` (the esbuild bundle, about a second) once per bench run, so the
 * figures are always those of the current src/, never of a stale build/.
 */
export function ensureBuild(): { ok: boolean; note: string } {
  if (built?.ok) return { ok: true, note: "build/module.js was bundled from the current src/ earlier in this run." };
  built = transpile();
  return built;
}

function transpile(): { ok: boolean; note: string } {
  rmSync(MODULE, { force: true });
  const start = process.hrtime.bigint();
  const run = spawnSync("npm", ["run", "transpile"], { cwd: ROOT, encoding: "utf8", timeout: TRANSPILE_TIMEOUT_MS, env: childEnv() });
  const seconds = fmt(elapsedMs(start) / 1000, 1);
  if (run.status !== 0 || !existsSync(MODULE)) return { ok: false, note: `\`npm run transpile\` failed (exit ${run.status ?? run.signal}): ${tail(run.stdout + run.stderr)}` };
  return { ok: true, note: `Ran \`npm run transpile\` first (${seconds} s): build/module.js, ${fmt(statSync(MODULE).size / 1024, 1)} KB, bundled from the current src/.` };
}

/** The end of a child's output, on one line, for error notes. */
export function tail(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, " ");
  return trimmed.length > 400 ? `…${trimmed.slice(-400)}` : trimmed || "(no output)";
}
