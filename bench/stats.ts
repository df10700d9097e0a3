/** Small numeric and formatting helpers for the benchmarks. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** a[i] / b[i] for each i: ratios of rounds run side by side, so drift between rounds cancels out. */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  return a.slice(0, b.length).map((value, i) => value / b[i]!);
}

/**
 * A bootstrap interval of `statistic` over `values`: the statistic of `iterations` resamples (drawn with
 * replacement, from a fixed seed so a run's table is reproducible from its samples), cut at `level`'s two tails.
 */
export function bootstrapInterval(values: readonly number[], statistic: (sample: readonly number[]) => number, level = 0.9, iterations = 2000, seed = 1): [number, number] {
  if (values.length === 0) return [Number.NaN, Number.NaN];
  let state = seed >>> 0;
  // mulberry32: small, fast, good enough to resample a few dozen rounds.
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const results: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const sample = Array.from({ length: values.length }, () => values[Math.floor(random() * values.length)]!);
    results.push(statistic(sample));
  }
  results.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  return [results[Math.floor(tail * (iterations - 1))]!, results[Math.ceil((1 - tail) * (iterations - 1))]!];
}

export function min(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.min(...values);
}

export function max(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.max(...values);
}

/** Milliseconds since `start` (a process.hrtime.bigint() reading). */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Fixed decimals, "n/a" for NaN. */
export function fmt(value: number, decimals = 2): string {
  return Number.isFinite(value) ? value.toFixed(decimals) : "n/a";
}

export function fmtMs(value: number, decimals = 2): string {
  return `${fmt(value, decimals)} ms`;
}

export function fmtRatio(value: number): string {
  return `${fmt(value, 3)}×`;
}

/** "min–max" of a sample, to show the spread next to a median. */
export function fmtRange(values: readonly number[], decimals = 2): string {
  return `${fmt(min(values), decimals)}–${fmt(max(values), decimals)}`;
}

/** A plain-text table with aligned columns. */
export function textTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ");
  return [line(header), widths.map((width) => "-".repeat(width)).join("-|-"), ...rows.map(line)].join("\n");
}

/** A Markdown table; pipes in cells are escaped. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.map((cell) => cell.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(header), `|${header.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
}
