import assert from 'node:assert/strict';
import { excerpt } from '../../../src/review/truncate';

/** `n` lines `line 0` … `line n-1`. */
const numbered = (n: number): string => Array.from({ length: n }, (_, i) => `line ${String(i).padStart(3, '0')}`).join('\n');

describe('excerpt', () => {
  it('returns short code unchanged', () => {
    const code = numbered(5);
    assert.deepEqual(excerpt(code, 2000), { text: code, startLine: 0, endLine: 4, totalLines: 5, truncated: false });
  });

  it('cuts long code at a line boundary within the limit, keeping the top without a changed range', () => {
    const ex = excerpt(numbered(500), 100);
    assert.ok(ex.text.length <= 100);
    assert.ok(ex.truncated);
    assert.equal(ex.startLine, 0);
    assert.ok(ex.text.split('\n').every((l) => /^line \d{3}$/.test(l)), 'every kept line is whole');
  });

  it('centres the excerpt on the changed lines', () => {
    const ex = excerpt(numbered(500), 200, { startLine: 300, endLine: 302 });
    const kept = ex.text.split('\n');
    assert.ok(ex.text.length <= 200);
    assert.ok(kept.includes('line 300') && kept.includes('line 302'));
    assert.ok(Math.abs(300 - ex.startLine - (ex.endLine - 302)) <= 1, `context is balanced: ${ex.startLine}-${ex.endLine}`);
  });

  it('keeps the start of a changed region larger than the limit', () => {
    const ex = excerpt(numbered(500), 80, { startLine: 100, endLine: 400 });
    assert.equal(ex.startLine, 100);
    assert.ok(ex.text.startsWith('line 100'));
    assert.ok(ex.text.length <= 80);
  });

  it('clamps a changed range outside the file', () => {
    const ex = excerpt(numbered(50), 60, { startLine: 900, endLine: 990 });
    assert.equal(ex.endLine, 49);
    assert.ok(ex.text.endsWith('line 049'));
  });

  it('cuts a single over-long line, the only case cut mid-line', () => {
    const ex = excerpt('x'.repeat(5000), 2000);
    assert.equal(ex.text.length, 2000);
    assert.ok(ex.truncated);
  });
});

describe('excerpt (properties)', () => {
  it('never exceeds the limit and is a run of whole, consecutive lines containing the change start', async () => {
    const fc = await import('fast-check');
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 40 }).map((s) => s.replace(/\n/g, ' ')), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 41, max: 600 }),
        fc.nat(100),
        fc.nat(20),
        (lines, max, start, span) => {
          const code = lines.join('\n');
          const ex = excerpt(code, max, { startLine: start, endLine: start + span });
          assert.ok(ex.text.length <= max);
          assert.equal(ex.text, lines.slice(ex.startLine, ex.endLine + 1).join('\n'));
          if (code.length > max) assert.ok(ex.startLine <= Math.min(start, lines.length - 1) && Math.min(start, lines.length - 1) <= ex.endLine);
        },
      ),
    );
  });
});
