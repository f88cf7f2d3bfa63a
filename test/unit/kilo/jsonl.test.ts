import assert from 'node:assert/strict';
import { existsSync, readFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { appendJsonLine, readJsonLines } from '../../../src/kilo/jsonl';
import { tempProject } from '../../support/kilo-fixtures';
import type { TempProject } from '../../support/kilo-fixtures';

describe('kilo/jsonl', () => {
  let p: TempProject;
  beforeEach(() => {
    p = tempProject();
  });
  afterEach(() => p.cleanup());

  it('appends one JSON line per record, creating the folder', () => {
    const file = path.join(p.dir, 'a/b/log.jsonl');
    appendJsonLine(file, { n: 1 });
    appendJsonLine(file, { n: 2 });
    assert.equal(readFileSync(file, 'utf8'), '{"n":1}\n{"n":2}\n');
  });

  it('keeps a new data folder out of git', () => {
    const file = path.join(p.dir, '.kilo/convergence/decisions.jsonl');
    appendJsonLine(file, { n: 1 });
    assert.match(readFileSync(path.join(p.dir, '.kilo/convergence/.gitignore'), 'utf8'), /^\*$/m);
  });

  it('rotates to .1 before a line would pass the size limit, and reads both oldest first', () => {
    const file = path.join(p.dir, 'log.jsonl');
    for (let n = 0; n < 10; n++) appendJsonLine(file, { n, pad: 'x'.repeat(20) }, 100);
    assert.ok(existsSync(`${file}.1`));
    assert.ok(readFileSync(file, 'utf8').length <= 100);
    const { records } = readJsonLines(file);
    const ns = records.map((r) => r['n'] as number);
    assert.deepEqual(ns, [...ns].sort((a, b) => a - b), 'oldest first');
    assert.equal(ns.at(-1), 9);
    assert.ok(ns.length < 10, 'older rotations are dropped');
  });

  it('skips a torn line and reports where it was', () => {
    const file = path.join(p.dir, 'log.jsonl');
    appendJsonLine(file, { n: 1 });
    appendFileSync(file, '{"n": 2, "tor');
    const { records, bad } = readJsonLines(file);
    assert.deepEqual(records, [{ n: 1 }]);
    assert.equal(bad.length, 1);
    assert.equal(bad[0]?.line, 2);
  });

  it('reads a missing log as empty', () => {
    assert.deepEqual(readJsonLines(path.join(p.dir, 'none.jsonl')), { records: [], bad: [] });
  });
});
