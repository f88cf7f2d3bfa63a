// How long loading the extension's bundle takes: what VS Code pays in `require` before
// `activate` runs. Measured on the production bundle (minified, as shipped), each load in a
// fresh Node process, against the engine alone bundled the same way (the config parser and
// router every front end carries), so the ratio is the host code's own weight.
// The `vscode` module is a stub that exists only in this measuring process: nothing in the
// bundle may touch it at load time, and the figure would not hold if it did.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { fmt, percentile, recordResult } from './support';

declare const BENCH_ROOT: string;

const TARGET_MS = 30;
const RUNS = 21;
const out = path.join(BENCH_ROOT, 'out', 'bench', 'load');

async function bundle(entry: string, outfile: string): Promise<string> {
  const { lazyAnthropicSdk } = (await import(pathToFileURL(path.join(BENCH_ROOT, 'scripts', 'esbuild-lazy-sdk.mjs')).href)) as { lazyAnthropicSdk: esbuild.Plugin };
  await esbuild.build({
    entryPoints: [path.join(BENCH_ROOT, entry)],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    loader: { '.yaml': 'text' },
    // As in esbuild.mjs: the Anthropic SDK stays in its own bundle, required on the first review.
    plugins: [lazyAnthropicSdk],
    logLevel: 'warning',
  });
  return outfile;
}

/** Loads `file` in a fresh process and returns the milliseconds `require` took. */
function timeLoad(file: string): number {
  const script = `
    const Module = require('node:module');
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      return request === 'vscode' ? 'vscode-stub' : resolve.call(this, request, ...rest);
    };
    const stub = new Module('vscode-stub');
    stub.loaded = true;
    stub.exports = {};
    require.cache['vscode-stub'] = stub;
    const { performance } = require('node:perf_hooks');
    const t0 = performance.now();
    const m = require(${JSON.stringify(file)});
    const ms = performance.now() - t0;
    if (typeof m.activate !== 'function' && !m.route) throw new Error('unexpected module shape');
    process.stdout.write(String(ms));
  `;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const extension = await bundle('src/vscode/extension.ts', path.join(out, 'extension.js'));
  const engine = await bundle('src/engine/index.ts', path.join(out, 'engine.js'));
  const ext: number[] = [];
  const base: number[] = [];
  timeLoad(extension); // warm the file cache
  timeLoad(engine);
  for (let i = 0; i < RUNS; i++) {
    ext.push(timeLoad(extension));
    base.push(timeLoad(engine));
  }
  const value = percentile(ext, 50);
  const baseline = percentile(base, 50);
  console.log(`load dist/extension.js (production bundle): median ${fmt(value)} ms, p90 ${fmt(percentile(ext, 90))} ms over ${RUNS} fresh processes`);
  console.log(`baseline, the engine bundle alone: median ${fmt(baseline)} ms; target < ${TARGET_MS} ms`);
  recordResult({ name: 'extension-load', value, unit: 'ms', baseline, ratio: value / baseline });
  if (value >= TARGET_MS) console.log(`WARNING: extension-load ${fmt(value)} ms is over the ${TARGET_MS} ms target`);
}

void main();
