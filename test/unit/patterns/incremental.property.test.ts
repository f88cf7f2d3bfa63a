import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PatternTracker, analyzeFiles } from '../../../src/patterns/index';
import type { TextChange } from '../../../src/patterns/index';
import { EXAMPLES } from './examples';
import { host } from './support';

const FRAGMENTS: Record<'typescript' | 'python', string[]> = {
  typescript: ['{', '}', '(', ')', 'if (x) ', 'for (;;) ', ';', '\n', ' catch (e) {}', ' ', 'a', ' && b', 'try {', '"', '/*', '*/', '// c\n', 'function g() {', 'return 1;', 'x | 0', "import { q } from './q';\n", 'else ', '?', ':'],
  python: ['\n', '    ', 'if x:\n', '        pass\n', 'try:\n', 'except E:\n', '(', ')', ':', 'def g(a):\n', 'return 1\n', ' and ', '#', '"""', 'import os\n', 'x = 1\n', '\t'],
};

function seed(language: 'typescript' | 'python'): string {
  const ex = EXAMPLES[language];
  return Object.values(ex).slice(0, 6).map((e) => e.pos + '\n' + e.neg).join('\n');
}

/** An edit event: one to three changes, each against the text the previous one left. */
const editArb = (language: 'typescript' | 'python') =>
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

describe('patterns: incremental analysis equals a full re-analysis (property)', function () {
  this.timeout(120_000);
  for (const language of ['typescript', 'python'] as const) {
    it(`holds after random edit sequences (${language})`, async () => {
      const ext = language === 'python' ? 'py' : 'ts';
      await fc.assert(
        fc.asyncProperty(fc.array(editArb(language), { minLength: 1, maxLength: 8 }), async (events) => {
          const tracker = new PatternTracker({ now: () => 0, host });
          const uri = `/prop/a.${ext}`;
          let text = seed(language);
          await tracker.update(uri, language, text);
          for (const edits of events) {
            const { changes, after } = toChanges(text, edits);
            await tracker.update(uri, language, changes);
            text = after;
          }
          tracker.idle();
          const full = await analyzeFiles([{ file: uri, text, language }], host);
          assert.deepEqual(tracker.findings(uri), full.files[0]?.findings ?? []);
          tracker.dispose();
        }),
        { numRuns: 60, seed: 20261124 },
      );
    });
  }
});
