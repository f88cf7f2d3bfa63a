import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Bench } from 'tinybench';

/** One benchmark figure as stored in bench/results.json. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The comparison measured in the same run, in the same unit. */
  baseline?: number;
  /** How the figure compares with the baseline; each benchmark says which way round. */
  ratio?: number;
}

/** The repository root: benchmarks run from a bundle under out/bench, so `__dirname` is not bench/. */
declare const BENCH_ROOT: string | undefined;
export const ROOT = typeof BENCH_ROOT === 'string' ? BENCH_ROOT : path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, 'bench', 'results.json');

/** Prints the figure and merges it into bench/results.json (replacing an entry of the same name). */
export function recordResult(result: BenchResult): void {
  const existing: BenchResult[] = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as BenchResult[]) : [];
  const next = existing.filter((r) => r.name !== result.name).concat(result);
  writeFileSync(RESULTS, JSON.stringify(next, null, 2) + '\n');
  const base = result.baseline === undefined ? '' : `  baseline ${fmt(result.baseline)} ${result.unit}`;
  const ratio = result.ratio === undefined ? '' : `  ratio ${fmt(result.ratio)}`;
  console.log(`RESULT ${result.name}: ${fmt(result.value)} ${result.unit}${base}${ratio}`);
}

export function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

/** Median of a sample (tinybench reports p50 too; this is for hand-rolled loops). */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? NaN;
}

/** A tinybench task's latency figures (ms) after `bench.run()`; throws when the task did not run. */
export function latencyOf(bench: Bench, name: string): { mean: number; p50: number; p99: number } {
  const r = bench.getTask(name)?.result;
  if (!r || !('latency' in r)) throw new Error(`no result for ${name}`);
  return { mean: r.latency.mean, p50: r.latency.p50 ?? r.latency.mean, p99: r.latency.p99 ?? r.latency.mean };
}
