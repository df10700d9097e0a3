/**
 * 6. Start-up and size: time to require build/module.js in a fresh Node process vs require("nodemailer")
 * alone (and a bare `node -e ""` for reference), the installed production footprint, and the tarball size.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { childEnv, ensureBuild, MODULE, ROOT, tail } from "./build";
import type { BenchResult, Figure } from "./harness";
import { elapsedMs, fmt, fmtMs, fmtRange, fmtRatio, median } from "./stats";

const ROUNDS = 10;
const DEPENDENCY_ROUNDS = 3;
const TARGET_RATIO = 2;
const INSTALL_TIMEOUT_MS = 150_000;

export async function startup(): Promise<BenchResult> {
  const details: string[] = [];
  const figures: Figure[] = [];

  const build = ensureBuild();
  details.push(build.note);
  if (build.ok) {
    figures.push(...requireTimes(details));
  } else {
    figures.push({ name: "require build/module.js / require nodemailer", measured: "n/a (no build)", target: `≤ ${TARGET_RATIO}×`, met: false });
  }
  figures.push(footprint(details));
  figures.push(tarball(build.ok, details));
  return { title: "6. Start-up and size", figures, details };
}

interface Timing {
  /** Wall time of the whole process, spawn to exit. */
  processMs: number;
  /** Time of the require() call itself, measured inside the child. */
  requireMs?: number;
}

function timeRequire(target: string | undefined): Timing {
  const code =
    target === undefined
      ? ""
      : `const t=process.hrtime.bigint();require(${JSON.stringify(target)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ["-e", code], { cwd: ROOT, encoding: "utf8", timeout: 30_000, env: childEnv() });
  const processMs = elapsedMs(start);
  if (run.status !== 0) throw new Error(`node -e require(${target ?? ""}) failed: ${tail(run.stderr)}`);
  return target === undefined ? { processMs } : { processMs, requireMs: Number(run.stdout) };
}

function requireTimes(details: string[]): Figure[] {
  const nodemailer = require.resolve("nodemailer", { paths: [ROOT] });
  const targets: Record<string, string | undefined> = { 'node -e ""': undefined, 'require("nodemailer")': nodemailer, 'require("build/module.js")': MODULE };
  const samples = new Map<string, Timing[]>(Object.keys(targets).map((name) => [name, []]));
  const names = Object.keys(targets);
  timeRequire(MODULE); // Warm the file system cache once, for both.
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!;
      samples.get(name)!.push(timeRequire(targets[name]));
    }
  }
  const requireMs = (name: string) => samples.get(name)!.map((timing) => timing.requireMs ?? Number.NaN);
  const processMs = (name: string) => samples.get(name)!.map((timing) => timing.processMs);
  const bare = median(processMs('node -e ""'));
  const mailer = median(requireMs('require("nodemailer")'));
  const extension = median(requireMs('require("build/module.js")'));
  const ratio = extension / mailer;
  const processRatio = (median(processMs('require("build/module.js")')) - bare) / (median(processMs('require("nodemailer")')) - bare);

  details.push(`${ROUNDS} interleaved rounds (order rotating) of fresh \`node -e\` processes; require time measured inside the child with process.hrtime around require().`);
  for (const name of names) {
    const inside = requireMs(name);
    details.push(
      `${name}: process wall time median ${fmt(median(processMs(name)), 1)} ms (range ${fmtRange(processMs(name), 1)})` +
        (targets[name] === undefined ? "" : `; require() median ${fmt(median(inside), 1)} ms (range ${fmtRange(inside, 1)})`),
    );
  }
  details.push(`Whole-process ratio, each minus the bare node process: ${fmt(processRatio, 2)}.`);
  details.push(`require() time of each production dependency alone (median of ${DEPENDENCY_ROUNDS} fresh processes): ${dependencyTimes().join(", ")}.`);
  return [
    { name: 'bare node process (node -e "")', measured: fmtMs(bare, 1), target: "" },
    { name: 'require("nodemailer")', measured: fmtMs(mailer, 1), target: "" },
    { name: 'require("build/module.js")', measured: fmtMs(extension, 1), target: "" },
    { name: "start-up ratio, module.js / nodemailer", measured: fmtRatio(ratio), target: `≤ ${TARGET_RATIO}×`, met: ratio <= TARGET_RATIO },
  ];
}

function dependencyTimes(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  const names = Object.keys(pkg.dependencies ?? {});
  const times = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let round = 0; round < DEPENDENCY_ROUNDS; round++) {
    for (const name of names) {
      let resolved: string;
      try {
        resolved = require.resolve(name, { paths: [ROOT] });
      } catch {
        continue; // No main entry to require (types-only or exports without "require").
      }
      times.get(name)!.push(timeRequire(resolved).requireMs ?? Number.NaN);
    }
  }
  return [...times]
    .filter(([, values]) => values.length > 0)
    .sort((a, b) => median(b[1]) - median(a[1]))
    .map(([name, values]) => `${name} ${fmt(median(values), 1)} ms`);
}

function footprint(details: string[]): Figure {
  const dir = mkdtempSync(path.join(tmpdir(), "smtp-email-footprint-"));
  try {
    for (const file of ["package.json", "package-lock.json"]) cpSync(path.join(ROOT, file), path.join(dir, file));
    const start = process.hrtime.bigint();
    const install = spawnSync("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], {
      cwd: dir,
      encoding: "utf8",
      timeout: INSTALL_TIMEOUT_MS,
      env: childEnv(),
    });
    if (install.status !== 0) {
      details.push(`Production install failed (exit ${install.status ?? install.signal}): ${tail(install.stderr)}`);
      return { name: "installed production footprint", measured: "n/a (install failed)", target: "" };
    }
    const du = spawnSync("du", ["-sk", "node_modules"], { cwd: dir, encoding: "utf8" });
    const kb = Number(du.stdout.split(/\s/)[0]);
    const lock = JSON.parse(readFileSync(path.join(dir, "node_modules", ".package-lock.json"), "utf8")) as { packages?: Record<string, unknown> };
    const packages = Object.keys(lock.packages ?? {}).filter((key) => key.startsWith("node_modules/")).length;
    details.push(
      `Production footprint: package.json + package-lock.json copied to a temp dir, \`npm install --omit=dev --no-audit --no-fund --prefer-offline --ignore-scripts\` (${fmt(elapsedMs(start) / 1000, 1)} s), \`du -sk node_modules\`: ${kb} KiB in ${packages} packages.`,
    );
    return { name: "installed production footprint (du)", measured: `${fmt(kb / 1024, 1)} MiB, ${packages} packages`, target: "" };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tarball(built: boolean, details: string[]): Figure {
  const script = path.join(ROOT, "scripts", "pack.mjs");
  const name = "Cognigy tarball (scripts/pack.mjs)";
  if (!existsSync(script)) {
    details.push("Tarball: scripts/pack.mjs does not exist (yet).");
    return { name, measured: "n/a", target: "" };
  }
  if (!built) return { name, measured: "n/a (no build)", target: "" };
  const run = spawnSync(process.execPath, [script], { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: childEnv() });
  const packed = /^Packed (.+\.tar\.gz) \(/m.exec(run.stdout)?.[1];
  if (run.status !== 0 || !packed || !existsSync(packed)) {
    details.push(`Tarball: scripts/pack.mjs failed (exit ${run.status ?? run.signal}): ${tail(run.stdout + run.stderr)}`);
    return { name, measured: "n/a (pack failed)", target: "" };
  }
  const kb = statSync(packed).size / 1024;
  details.push(`Tarball: \`node scripts/pack.mjs\` wrote ${path.relative(ROOT, packed)}, ${fmt(kb, 1)} KiB.`);
  return { name, measured: `${fmt(kb, 1)} KiB`, target: "" };
}
