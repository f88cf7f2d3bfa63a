import assert from 'node:assert/strict';
import { patternHeuristic, reviewFromFindings } from '../../../src/review';
import { runCli } from '../../support/cli';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SWALLOWING = `export async function load(path: string): Promise<string | undefined> {
  try {
    return await read(path);
  } catch (e) {}
  return undefined;
}
declare function read(p: string): Promise<string>;
`;

const CAREFUL = `/** Reads a config file; a missing file is an error the caller sees. */
export async function load(path: string): Promise<string> {
  if (path.length === 0) throw new Error('load: empty path');
  try {
    return await read(path);
  } catch (err) {
    throw new Error(\`load \${path}: \${String(err)}\`);
  }
}
declare function read(p: string): Promise<string>;
`;

describe('pattern heuristic (local review from the pattern detectors)', () => {
  it('finds a swallowed error and lowers robustness, naming the place', async () => {
    const r = await patternHeuristic.review(SWALLOWING, 'load.ts');
    assert.ok(r.patterns.includes('ERROR_SWALLOWING'), r.patterns.join(','));
    assert.ok(r.robustness < 70, `robustness ${r.robustness}`);
    assert.match(r.reasoning.join('\n'), /ERROR_SWALLOWING at lines 4–4/);
    assert.match(r.reasoning.at(-1) ?? '', /no model reviewed this code/);
  });

  it('rates code that checks and rethrows above code that swallows', async () => {
    const bad = await patternHeuristic.review(SWALLOWING, 'load.ts');
    const good = await patternHeuristic.review(CAREFUL, 'load.ts');
    assert.ok(good.robustness > bad.robustness, `${good.robustness} vs ${bad.robustness}`);
    assert.ok(!good.patterns.includes('ERROR_SWALLOWING'));
  });

  it('falls back to the basic text checks for a language the detectors do not parse', async () => {
    const r = await patternHeuristic.review('a = 1\n', 'notes.txt');
    assert.match(r.reasoning.join('\n'), /simple text checks/);
  });

  it('caps what many findings of one pattern can take', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ pattern: 'ERROR_SWALLOWING' as const, file: 'f.ts', startLine: i + 1, endLine: i + 1, strength: 1, message: 'empty catch' }));
    const r = reviewFromFindings(many);
    assert.equal(r.robustness, 40);
    assert.equal(r.reasoning.filter((l) => l.startsWith('ERROR_SWALLOWING')).length, 6);
    assert.match(r.reasoning.join('\n'), /and 34 more finding/);
  });

  it('says when nothing was found', () => {
    const r = reviewFromFindings([]);
    assert.equal(r.robustness, 70);
    assert.deepEqual(r.patterns, []);
    assert.match(r.reasoning[0] ?? '', /found none of the eleven patterns/);
  });

  it('is what `convergence-route review` falls back to without a key', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cr-review-'));
    writeFileSync(path.join(dir, 'load.ts'), SWALLOWING);
    const r = await runCli(['review', 'load.ts', '--json'], { XDG_CACHE_HOME: dir }, dir);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { source: string; patterns: string[]; reasoning: string[] };
    assert.equal(json.source, 'heuristic-fallback');
    assert.ok(json.patterns.includes('ERROR_SWALLOWING'));
    assert.match(json.reasoning.join('\n'), /pattern detectors/);
  });
});
