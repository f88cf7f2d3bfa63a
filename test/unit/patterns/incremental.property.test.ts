import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PatternTracker, analyzeFiles } from '../../../src/patterns/index';
import type { TextChange } from '../../../src/patterns/index';
import { EXAMPLES } from './examples';
import { host } from './support';

type Lang = 'typescript' | 'python' | 'go' | 'java' | 'rust';
const C_LIKE = ['{', '}', '(', ')', 'if (x) ', 'for (;;) ', ';', '\n', ' ', 'a', ' && b', '"', '/*', '*/', '// c\n', 'return 1;', 'else ', '_ = f()', '0'];
const FRAGMENTS: Record<Lang, string[]> = {
  go: [...C_LIKE, 'if err != nil {}', 'func g() {', 'package p\n', 'import "x/y"\n'],
  java: [...C_LIKE, 'try { a(); b(); } catch (Exception e) {}', 'class B {', 'void m() {', 'import a.b.C;\n'],
  rust: [...C_LIKE, 'let _ = f();', 'fn g() {', 'impl A {', 'match x { _ => 1 }', 'use a::b;\n'],
  typescript: ['{', '}', '(', ')', 'if (x) ', 'for (;;) ', ';', '\n', ' catch (e) {}', ' ', 'a', ' && b', 'try {', '"', '/*', '*/', '// c\n', 'function g() {', 'return 1;', 'x | 0', "import { q } from './q';\n", 'else ', '?', ':'],
  python: ['\n', '    ', 'if x:\n', '        pass\n', 'try:\n', 'except E:\n', '(', ')', ':', 'def g(a):\n', 'return 1\n', ' and ', '#', '"""', 'import os\n', 'x = 1\n', '\t'],
};

function seed(language: Lang): string {
  const ex = EXAMPLES[language];
  return Object.values(ex).slice(0, 6).map((e) => e.pos + '\n' + e.neg).join('\n');
}

/** An edit event: one to three changes, each against the text the previous one left. */
const editArb = (language: Lang) =>
  fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), del: fc.nat({ max: 12 }), text: fc.array(fc.constantFrom(...FRAGMENTS[language]), { maxLength: 3 }).map((xs) => xs.join('')) }), { minLength: 1, maxLength: 3 });

function toChanges(text: string, edits: { at: number; del: number; text: string }[]): { changes: TextChange[]; after: string } {
  const changes: TextChange[] = [];
  let cur = text;
  for (const e of edits) {
    const offset = Math.floor(e.at * cur.length);
    const len = Math.min(e.del, cur.length - offset);
    changes.push({ rangeOffset: offset, rangeLength: len, text: e.text });
    cur = cur.slice(0, offset) + e.text + cur.slice(offset + len);
  }
  return { changes, after: cur };
}

// RUNS and SEED in the environment run a longer or different search (e.g. RUNS=500 SEED=3).
describe('patterns: incremental analysis equals a full re-analysis (property)', function () {
  this.timeout(120_000);
  const EXT: Record<Lang, string> = { typescript: 'ts', python: 'py', go: 'go', java: 'java', rust: 'rs' };
  for (const language of ['typescript', 'python', 'go', 'java', 'rust'] as const) {
    it(`holds after random edit sequences (${language})`, async () => {
      const ext = EXT[language];
      await fc.assert(
        fc.asyncProperty(fc.array(editArb(language), { minLength: 1, maxLength: 8 }), async (events) => {
          const tracker = new PatternTracker({ now: () => 0, host });
          const uri = `/prop/a.${ext}`;
          let text = seed(language);
          await tracker.update(uri, language, text);
          for (const [i, edits] of events.entries()) {
            const { changes, after } = toChanges(text, edits);
            // Every third event arrives as the whole new text, as the extension sends it.
            await tracker.update(uri, language, i % 3 === 2 ? after : changes);
            text = after;
          }
          tracker.idle();
          const full = await analyzeFiles([{ file: uri, text, language }], host);
          assert.deepEqual(tracker.findings(uri), full.files[0]?.findings ?? []);
          tracker.dispose();
        }),
        { numRuns: Number(process.env.RUNS ?? 0) || (language === 'typescript' || language === 'python' ? 60 : 30), seed: Number(process.env.SEED ?? 20261124) },
      );
    });
  }
});
