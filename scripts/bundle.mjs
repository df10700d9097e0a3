#!/usr/bin/env node
// Builds build/module.js as one file: a fresh process per execution then reads and compiles one file
// instead of ~170 (module resolution and compilation dominated a cold send). Bundled: our code, zod
// (tree-shaken to the parts in use), @cognigy/extension-tools, and the two small parts of nodemailer a
// send needs before it connects (its address parser and its table of well-known services).
//
// Beside it, one file per group of packages a send loads later, while its connection is being set up:
// build/nodemailer.js (nodemailer's SMTP client, pool, Mail front and MIME builder) and build/html.js
// (html-to-text and htmlparser2). Each is read only when first needed, and each of its modules runs
// only when first asked for. One file instead of ~40 (html) and ~35 (nodemailer) halves their loading time
// on a cold process (measured in README "Cold sends"); their code is the exact code of the versions in
// package-lock.json, rebuilt by every `npm run transpile`.
//
// External, loaded from node_modules on first use: axios, ical.js and mime-types (a send needs them only
// for attachments or invitations). Type checking is `npm run typecheck` (tsc); esbuild only strips types.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const EXTERNAL = ["axios", "ical.js", "mime-types"];
/** The files beside module.js and the package entry points each one serves (every import of them in src/). */
const VENDOR_FILES = {
  "nodemailer.js": ["nodemailer/lib/mailer", "nodemailer/lib/mime-funcs", "nodemailer/lib/mime-node", "nodemailer/lib/smtp-connection", "nodemailer/lib/smtp-pool", "nodemailer/lib/xoauth2"],
  "html.js": ["html-to-text", "htmlparser2"],
};
const vendorFileOf = new Map(Object.entries(VENDOR_FILES).flatMap(([file, specifiers]) => specifiers.map((specifier) => [specifier, file])));
/** The parts of the vendored packages bundled into module.js itself: small, and needed before a send connects. */
const IN_MODULE = ["nodemailer/lib/addressparser", "nodemailer/lib/well-known", "nodemailer/lib/well-known/services.json"];

/**
 * In module.js, an import of a vendored entry point becomes a small module that requires the vendor file
 * (left as it is: "./nodemailer.js", beside module.js) and takes that entry from it. Like every module
 * of the bundle it runs on first use only, so the vendor file is read when a send first needs it.
 */
const vendorImports = {
  name: "vendor-imports",
  setup(build) {
    const filter = new RegExp(`^(${[...vendorFileOf.keys()].map((specifier) => specifier.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})$`);
    build.onResolve({ filter }, ({ path }) => ({ path, namespace: "vendor" }));
    build.onLoad({ filter: /.*/, namespace: "vendor" }, ({ path }) => ({
      contents: `module.exports = require(${JSON.stringify(`./${vendorFileOf.get(path)}`)})[${JSON.stringify(path)}];`,
      loader: "js",
    }));
    build.onResolve({ filter: /^\.\/[\w-]+\.js$/, namespace: "vendor" }, ({ path }) => ({ path, external: true }));
    // Any other entry point of these packages would be bundled into module.js unnoticed, a second copy of
    // code the vendor files hold: it has to be listed above, in one place or the other.
    build.onResolve({ filter: /^(nodemailer|html-to-text|htmlparser2)(\/|$)/ }, ({ path, importer }) =>
      IN_MODULE.includes(path) ? undefined : { errors: [{ text: `${path} (imported by ${importer}) is in neither VENDOR_FILES nor IN_MODULE of scripts/bundle.mjs` }] },
    );
  },
};

/** A vendor file's source: each entry point a getter, so each package module runs only when asked for. */
function vendorSource(specifiers) {
  const getters = specifiers.map((specifier) => `  ${JSON.stringify(specifier)}: { enumerable: true, get: () => require(${JSON.stringify(specifier)}) },`);
  return `Object.defineProperties(module.exports, {\n${getters.join("\n")}\n});\n`;
}
// `--outfile <path>` writes the bundle elsewhere (tests); by default build/ is replaced.
const outfileIndex = process.argv.indexOf("--outfile");
const outfile = outfileIndex >= 0 ? resolve(process.argv[outfileIndex + 1]) : join(root, "build", "module.js");

if (outfileIndex < 0) rmSync(join(root, "build"), { recursive: true, force: true });
/** Options every output shares: one CommonJS file for Node 20, readable, with its licence comments. */
const shared = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  // Readable stack traces in Cognigy's logs; the size gain of minifying is small next to what it costs there.
  minify: false,
  legalComments: "inline",
  logLevel: "warning",
  metafile: true,
};
const result = await build({
  ...shared,
  entryPoints: ["src/module.ts"],
  outfile,
  // import() of an external package becomes require(), as tsc compiles it: the same CommonJS builds the tests load.
  supported: { "dynamic-import": false },
  // Every subpath too: nothing of an external package ends up in the bundle.
  external: EXTERNAL.flatMap((name) => [name, `${name}/*`]),
  plugins: [vendorImports],
});
const vendorResults = await Promise.all(
  Object.entries(VENDOR_FILES).map(([file, specifiers]) =>
    build({
      ...shared,
      stdin: { contents: vendorSource(specifiers), resolveDir: root, sourcefile: `vendor/${file}`, loader: "js" },
      outfile: join(dirname(outfile), file),
    }),
  ),
);
for (const { metafile } of [result, ...vendorResults]) {
  for (const [file, output] of Object.entries(metafile.outputs)) console.log(`Bundled ${file} (${(output.bytes / 1024).toFixed(1)} KB)`);
}
