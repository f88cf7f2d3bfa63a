#!/usr/bin/env node
// Runs every bench/*.bench.ts (or the ones named: `npm run bench -- route`), one process each,
// so that one benchmark's heap and JIT state cannot colour another's. Figures go to
// bench/results.json through bench/support.ts.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
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
  const r = spawnSync(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', '--require', './test/support/register-text.cjs', path.join('bench', f)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
