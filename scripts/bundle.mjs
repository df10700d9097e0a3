#!/usr/bin/env node
// Builds build/module.js as one file: a fresh process per execution then reads and compiles one file
// instead of ~170 (module resolution and compilation dominated a cold send). Bundled: our code, zod
// (tree-shaken to the parts in use) and @cognigy/extension-tools. External, loaded from node_modules:
// nodemailer (the mail engine, updated through the lock file like any dependency) and the packages
// only some sends need, which load on first use: axios, html-to-text, htmlparser2, ical.js, mime-types.
// Type checking is `npm run typecheck` (tsc); esbuild only strips types.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const EXTERNAL = ["nodemailer", "axios", "html-to-text", "htmlparser2", "ical.js", "mime-types"];
// `--outfile <path>` writes the bundle elsewhere (tests); by default build/ is replaced.
const outfileIndex = process.argv.indexOf("--outfile");
const outfile = outfileIndex >= 0 ? resolve(process.argv[outfileIndex + 1]) : join(root, "build", "module.js");

if (outfileIndex < 0) rmSync(join(root, "build"), { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/module.ts"],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  // import() of an external package becomes require(), as tsc compiles it: the same CommonJS builds the tests load.
  supported: { "dynamic-import": false },
  // Every subpath too (nodemailer/lib/...): nothing of an external package ends up in the bundle.
  external: EXTERNAL.flatMap((name) => [name, `${name}/*`]),
  // Readable stack traces in Cognigy's logs; the size gain of minifying is small next to what it costs there.
  minify: false,
  legalComments: "inline",
  logLevel: "warning",
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`Bundled ${outfile} (${(bytes / 1024).toFixed(1)} KB)`);
