/**
 * Reading V8 CPU profiles (.cpuprofile, from `node --cpu-prof` or node:inspector): self time per
 * function and per package, so a benchmark can say where the time went.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self time in ms per key (the key function decides the grouping: function, file or package). */
export function selfTimes(profile: CpuProfile, keyOf: (frame: CpuProfile["nodes"][number]["callFrame"]) => string): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const key = keyOf(node.callFrame);
    // A sample's time is the delta to the next sample.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    totals.set(key, (totals.get(key) ?? 0) + ms);
  });
  return totals;
}

/**
 * "zod", "nodemailer", "extension: config/parseNodeConfig", "node: internal/modules/cjs/loader", "(garbage collector)".
 * A frame in the bundle (build/*.js) is named for the source file esbuild put there, found by the line.
 */
export function packageOf(frame: { url: string; functionName: string; lineNumber?: number }): string {
  const url = bundledSourceOf(frame) ?? frame.url;
  if (!url) return frame.functionName.startsWith("(") ? frame.functionName : "(native)";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith("node:")) return `node: ${url.slice(5)}`;
  const own = /\/(build|src|bench)\/(.*?)(?:\.[cm]?[jt]s)?$/.exec(url);
  if (own) return `${own[1] === "bench" ? "bench" : "extension"}: ${own[2]}`;
  return url;
}

/** "functionName (package or file:line)"; for a bundle frame, the line in the bundle. */
export function functionOf(frame: { url: string; functionName: string; lineNumber: number }): string {
  const where = bundledSourceOf(frame) ? `, build line ${frame.lineNumber + 1}` : frame.url ? `:${frame.lineNumber + 1}` : "";
  return `${frame.functionName || "(anonymous)"} (${packageOf(frame)}${where})`;
}

/** Per bundle file: the first line of each source file's code (esbuild heads each with a "// path" comment). */
const bundleSections = new Map<string, Array<{ line: number; source: string }>>();

/** "/src/delivery/smtp/sendMail.ts" or "/node_modules/zod/v4/core/core.js" for a frame in build/*.js; undefined elsewhere. */
function bundledSourceOf(frame: { url: string; lineNumber?: number }): string | undefined {
  if (!/\/build\/[^/]+\.js$/.test(frame.url) || frame.lineNumber === undefined) return undefined;
  let sections = bundleSections.get(frame.url);
  if (!sections) {
    sections = [];
    try {
      const lines = readFileSync(frame.url.startsWith("file:") ? fileURLToPath(frame.url) : frame.url, "utf8").split("\n");
      lines.forEach((text, index) => {
        const heading = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(text);
        if (heading) sections!.push({ line: index, source: `/${heading[1]}` });
      });
    } catch {
      // Not readable: the frame keeps the bundle's own name.
    }
    bundleSections.set(frame.url, sections);
  }
  let found: string | undefined;
  for (const section of sections) {
    if (section.line > frame.lineNumber) break;
    found = section.source;
  }
  return found;
}

/** The largest entries, descending. */
export function top(totals: Map<string, number>, count: number): Array<[string, number]> {
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, count);
}

/** Inclusive time in ms per key: a sample counts for every distinct key on its stack. */
export function inclusiveTimes(profile: CpuProfile, keyOf: (frame: CpuProfile["nodes"][number]["callFrame"]) => string): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const key = keyOf(byId.get(current)!.callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      totals.set(key, (totals.get(key) ?? 0) + ms);
    }
  });
  return totals;
}
