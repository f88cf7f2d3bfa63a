import assert from 'node:assert/strict';
import { findClones, restartTokenNumbering, windowKeys } from '../../../src/patterns/clones';
import type { CloneSource } from '../../../src/patterns/clones';
import { analyzeText, crossFileFindings } from '../../../src/patterns/index';
import { tokenize } from '../../../src/patterns/tokens';
import { findingsOfAll, host } from './support';

/** A block of about 12 tokens per line. */
const block = (name: string, lines: number): string =>
  [`export function ${name}(input) {`, ...Array.from({ length: lines }, (_, i) => `  const v${i} = input.items[${i}].value * factor + offset;`), '  return input;', '}'].join('\n');
const body = (lines: number): string => Array.from({ length: lines }, (_, i) => `  total += compute(input.items[${i}], factor, offset);`).join('\n');

describe('patterns: REPEATED_SIMILAR_BLOCKS token clones (jscpd rules)', () => {
  it('reports both copies of a clone across files', async () => {
    const shared = body(8);
    const found = await findingsOfAll({
      'a.ts': `export function one(input) {\n  let total = 0;\n${shared}\n  return total;\n}\n`,
      'b.ts': `// header\nexport function two(input) {\n  let total = 1;\n${shared}\n  return total * 2;\n}\n`,
    });
    const clones = found.filter((f) => f.pattern === 'REPEATED_SIMILAR_BLOCKS' && f.message.startsWith('clone of'));
    assert.deepEqual(clones.map((f) => f.file).sort(), ['a.ts', 'b.ts']);
    const a = clones.find((f) => f.file === 'a.ts');
    assert.ok(a && a.startLine <= 3 && a.endLine >= 10, `span ${a?.startLine}-${a?.endLine}`);
  });
  it('ignores repeats shorter than 50 tokens', async () => {
    const shared = body(3);
    const found = await findingsOfAll({ 'a.ts': `function one() {\n${shared}\n}\n`, 'b.ts': `function two() {\n${shared}\n}\n` });
    assert.ok(!found.some((f) => f.message.startsWith('clone of')));
  });
  it('ignores 50-token repeats spanning fewer than 5 lines', () => {
    const line = Array.from({ length: 30 }, (_, i) => `a${i}`).join(' + ');
    const text = (n: string): string => `x = ${line};\ny = ${line};\nz = ${n};\n`;
    const clones = findClones([
      { file: 'a.js', group: 'javascript', text: text('1'), tokens: tokenize(text('1'), 'javascript') },
      { file: 'b.js', group: 'javascript', text: text('2'), tokens: tokenize(text('2'), 'javascript') },
    ]);
    assert.deepEqual(clones, []);
  });
  it('does not compare files of different formats (TypeScript with JavaScript)', async () => {
    const found = await findingsOfAll({ 'a.ts': block('one', 8), 'b.js': block('two', 8) });
    assert.ok(!found.some((f) => f.message.startsWith('clone of')));
  });
  it('pairs every later copy with the first', async () => {
    const found = await findingsOfAll({ 'a.js': block('one', 8), 'b.js': block('two', 8), 'c.js': block('three', 8) });
    const files = new Set(found.filter((f) => f.message.startsWith('clone of')).map((f) => f.file));
    assert.deepEqual([...files].sort(), ['a.js', 'b.js', 'c.js']);
  });
  it('finds the same clones from window keys kept from an earlier run, and from stale ones after the numbering restarts', () => {
    const text = (name: string, extra: string): string => `${block(name, 8)}\n${extra}\n`;
    const sources = (): CloneSource[] =>
      [text('one', 'let a = 1;'), text('two', 'let b = 2;'), text('three', body(2))].map((t, i) => ({ file: `${i}.js`, group: 'javascript', text: t, tokens: tokenize(t, 'javascript') }));
    const fresh = findClones(sources());
    assert.equal(fresh.length, 2, 'two later copies, each paired with the first');
    const kept = sources().map((s) => ({ ...s, keys: windowKeys(s.tokens) }));
    assert.deepEqual(findClones(kept), fresh);
    // Keys of an earlier numbering would match nothing (or the wrong windows) if they were used.
    restartTokenNumbering();
    const mixed = kept.map((s, i) => (i === 0 ? s : { ...s, keys: windowKeys(s.tokens) }));
    assert.deepEqual(findClones(mixed), fresh);
  });
  it('keeps each file\'s window keys with its analysis and re-hashes only a file whose analysis is new', async () => {
    await host.ready('javascript');
    const a = analyzeText(host, 'a.js', 'javascript', block('one', 8));
    const b = analyzeText(host, 'b.js', 'javascript', block('two', 8));
    const first = crossFileFindings([a, b]);
    const keptA = a.windowKeys;
    assert.ok(keptA && b.windowKeys);
    const b2 = analyzeText(host, 'b.js', 'javascript', block('two', 8) + ' // edited');
    const second = crossFileFindings([a, b2]);
    assert.equal(a.windowKeys, keptA, 'the unchanged file kept its keys');
    assert.ok(b2.windowKeys && b2.windowKeys !== b.windowKeys);
    assert.deepEqual(second, first);
  });
  it('finds clones inside one file', async () => {
    const found = await findingsOfAll({ 'a.py': `def one(x):\n${body(8).replace(/;$/gm, '').replace(/^ {2}/gm, '    ')}\n\ndef two(x):\n${body(8).replace(/;$/gm, '').replace(/^ {2}/gm, '    ')}\n` });
    assert.equal(found.filter((f) => f.message.startsWith('clone of')).length, 2);
  });
  it('skips regions between jscpd:ignore-start and jscpd:ignore-end', async () => {
    const found = await findingsOfAll({ 'a.ts': block('one', 8), 'b.ts': `// jscpd:ignore-start\n${block('two', 8)}\n// jscpd:ignore-end\n` });
    assert.ok(!found.some((f) => f.message.startsWith('clone of')));
  });
  it('tokenizes template literals at their substitutions and keeps comments', () => {
    assert.deepEqual(tokenize('const s = `a${b}c`; // note', 'typescript').map((t) => t.value), ['const', 's', '=', '`', 'a', '${', 'b', '}', 'c', '`', ';', '// note']);
  });
  it('reports identical function bodies of three lines or more (sonarjs no-identical-functions)', async () => {
    const fn = (name: string, lines: number): string => `function ${name}(x) {\n${Array.from({ length: lines }, (_, i) => `  x += ${i};`).join('\n')}\n  return x;\n}`;
    const three = await findingsOfAll({ 'a.js': `${fn('one', 2)}\n${fn('two', 2)}\n` });
    assert.equal(three.filter((f) => / has the same body as /.test(f.message)).length, 2);
    const two = await findingsOfAll({ 'a.js': `${fn('one', 1)}\n${fn('two', 1)}\n` });
    assert.equal(two.filter((f) => / has the same body as /.test(f.message)).length, 0);
  });
});
