import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LANGUAGES, MAX_FILE_CHARS, PatternTracker, analyzeFiles } from '../../../src/patterns/index';
import type { LanguageId } from '../../../src/patterns/index';
import { EXAMPLES, FILE_NAMES } from './examples';
import { host } from './support';

const analyze = async (language: LanguageId, text: string) => (await analyzeFiles([{ file: FILE_NAMES[language], text, language }], host)).files[0];

describe('patterns: hostile input never throws (fuzz)', function () {
  this.timeout(120_000);

  it('survives random bytes in every language', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...LANGUAGES), fc.uint8Array({ maxLength: 4000 }), async (language, bytes) => {
        const text = Buffer.from(bytes).toString('latin1');
        const report = await analyze(language, text);
        assert.ok(report, 'a report for every file');
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('survives random unicode text in every language', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...LANGUAGES), fc.string({ unit: 'binary', maxLength: 2000 }), async (language, text) => {
        assert.ok(await analyze(language, text));
      }),
      { numRuns: 100, seed: 8 },
    );
  });

  it('survives every truncation of real code (half-typed files)', async () => {
    for (const language of LANGUAGES) {
      const full = Object.values(EXAMPLES[language]).map((e) => e.pos).join('\n');
      for (let cut = 0; cut <= full.length; cut += 37) {
        const report = await analyze(language, full.slice(0, cut));
        assert.ok(report && report.findings.every((f) => f.startLine >= 1 && f.endLine >= f.startLine));
      }
    }
  });

  it('survives deep nesting', async () => {
    const deep: [LanguageId, string][] = [
      ['typescript', `function f() {\n${'if (a) {\n'.repeat(3000)}${'}\n'.repeat(3000)}}`],
      ['javascript', `x = ${'[\n'.repeat(20000)}${']\n'.repeat(20000)};`],
      ['javascript', `x = ${'(\n'.repeat(20000)}1${')\n'.repeat(20000)};`],
      ['python', `def f():\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(4 * (i + 1))}if a:`).join('\n')}\n${' '.repeat(1204)}pass\n`],
      ['go', `package a\nfunc f() {\n${'{\n'.repeat(5000)}${'}\n'.repeat(5000)}}`],
      ['rust', `fn f() {\n${'{\n'.repeat(5000)}${'}\n'.repeat(5000)}}`],
      ['java', `class A { void f() {\n${'if (a) {\n'.repeat(3000)}${'}\n'.repeat(3000)}} }`],
      ['typescript', `x = ${'['.repeat(20000)}${']'.repeat(20000)};`],
    ];
    for (const [i, [language, text]] of deep.entries()) {
      const report = await analyze(language, text);
      assert.ok(report, `${language}: no report`);
      if (i === 0) assert.ok(report.findings.some((f) => f.pattern === 'LOGIC_SPIRAL'), 'the part within the depth limit still yields findings');
    }
  });

  it('skips binary, huge and minified files with a reason instead of parsing them', async () => {
    assert.equal((await analyze('javascript', 'const a = 1;\u0000\u0001\u0002binary'))?.skipped, 'binary');
    assert.equal((await analyze('typescript', 'export const x = 1;\n'.repeat(Math.ceil((MAX_FILE_CHARS + 1) / 20))))?.skipped, 'too-large');
    const minified = Array.from({ length: 400 }, (_, i) => `function f${i}(a){return a&&a.b?a.c:${i}}`).join(';');
    assert.equal((await analyze('javascript', minified))?.skipped, 'minified');
  });

  it('keeps a tracker working when a file turns binary and back', async () => {
    const tracker = new PatternTracker({ now: () => 0, host });
    await tracker.update('/z.ts', 'typescript', EXAMPLES.typescript.ERROR_SWALLOWING?.pos ?? '');
    await tracker.update('/z.ts', 'typescript', [{ rangeOffset: 0, rangeLength: 0, text: '\u0000\u0000' }]);
    assert.equal(tracker.report('/z.ts')?.skipped, 'binary');
    await tracker.update('/z.ts', 'typescript', [{ rangeOffset: 0, rangeLength: 2, text: '' }]);
    assert.ok(tracker.findings('/z.ts').some((f) => f.pattern === 'ERROR_SWALLOWING'));
  });
});
