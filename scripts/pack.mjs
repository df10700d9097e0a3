#!/usr/bin/env node
// Packs the tarball Cognigy.AI accepts: build/, package.json, package-lock.json, README.md and icon.png at
// the archive's root (npm pack would nest everything under package/, which Cognigy does not read).
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { create } from "tar";

const args = process.argv.slice(2);
const rootIndex = args.indexOf("--root");
const root = rootIndex >= 0 ? resolve(args[rootIndex + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), "..");

const required = ["build/module.js", "package.json", "package-lock.json", "README.md", "icons/icon.png"];
const missing = required.filter((file) => !existsSync(join(root, file)));
if (missing.length > 0) {
  console.error(`Cannot pack: missing ${missing.join(", ")}. Run "npm run transpile" first (or "npm run build").`);
  process.exit(1);
}

const { name, version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const tarball = join(root, `${name}-${version}.tar.gz`);

// Stage the entries so icon.png sits at the root next to the rest.
const stage = mkdtempSync(join(tmpdir(), "smtp-email-pack-"));
try {
  cpSync(join(root, "build"), join(stage, "build"), { recursive: true });
  for (const file of ["package.json", "package-lock.json", "README.md"]) copyFileSync(join(root, file), join(stage, file));
  copyFileSync(join(root, "icons", "icon.png"), join(stage, "icon.png"));
  await create(
    { gzip: true, file: tarball, cwd: stage, portable: true, mtime: new Date("2000-01-01T00:00:00Z") },
    ["build", "package.json", "package-lock.json", "README.md", "icon.png"],
  );
} finally {
  rmSync(stage, { recursive: true, force: true });
}
console.log(`Packed ${tarball} (${(statSync(tarball).size / 1024).toFixed(1)} KB)`);
