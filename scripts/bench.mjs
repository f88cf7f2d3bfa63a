#!/usr/bin/env node
// Runs every bench/*.bench.ts (or the ones named: `npm run bench -- route`), one process each,
// so that one benchmark's heap and JIT state cannot colour another's. Each is bundled with
// esbuild first, exactly as the shipped bundles are (no test-time module interop in the way);
// npm packages stay external and load from node_modules. Figures go to bench/results.json.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outdir = path.join(root, 'out', 'bench');
const wanted = process.argv.slice(2);
const files = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const f of files) {
  console.log(`\n=== bench: ${f} ===`);
  const outfile = path.join(outdir, f.replace(/\.ts$/, '.js'));
  await esbuild.build({
    entryPoints: [path.join(root, 'bench', f)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    loader: { '.yaml': 'text' },
    sourcemap: 'inline',
    define: { BENCH_ROOT: JSON.stringify(root) },
    logLevel: 'warning',
  });
  const r = spawnSync(process.execPath, ['--expose-gc', '--enable-source-maps', outfile], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
