/** The built extension the start-up and cold benchmarks run, transpiled first when src/ is newer. */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
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

let checked: { ok: boolean; note: string } | undefined;

/** Runs `npm run transpile` when build/module.js is missing or older than src/ (once per bench run). */
export function ensureBuild(): { ok: boolean; note: string } {
  if (checked?.ok) return { ok: true, note: "build/ is up to date with src/ (checked earlier in this run)." };
  checked = transpileIfStale();
  return checked;
}

function transpileIfStale(): { ok: boolean; note: string } {
  const built = existsSync(MODULE) ? statSync(MODULE).mtimeMs : 0;
  const newestSource = newestMtime(path.join(ROOT, "src"));
  if (built > 0 && built >= newestSource) return { ok: true, note: "build/ is up to date with src/; not transpiled again." };
  const start = process.hrtime.bigint();
  const run = spawnSync("npm", ["run", "transpile"], { cwd: ROOT, encoding: "utf8", timeout: TRANSPILE_TIMEOUT_MS, env: childEnv() });
  const seconds = fmt(elapsedMs(start) / 1000, 1);
  const why = built === 0 ? "build/ was missing" : "src/ is newer than build/";
  if (!existsSync(MODULE)) return { ok: false, note: `${why}; \`npm run transpile\` produced no build/module.js (exit ${run.status ?? run.signal}): ${tail(run.stdout + run.stderr)}` };
  const warning = run.status === 0 ? "" : ` (it exited with ${run.status ?? run.signal}; tsc still emitted: ${tail(run.stdout + run.stderr)})`;
  return { ok: true, note: `${why}: ran \`npm run transpile\` in ${seconds} s${warning}.` };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** The end of a child's output, on one line, for error notes. */
export function tail(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, " ");
  return trimmed.length > 400 ? `…${trimmed.slice(-400)}` : trimmed || "(no output)";
}
