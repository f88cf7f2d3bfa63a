import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LANGUAGES } from '../../../src/patterns/index';
import { LineIndex, copyTree, walk } from '../../../src/patterns/syntax';
import type { SNode } from '../../../src/patterns/syntax';
import { EXAMPLES } from './examples';
import { host } from './support';

const shape = (root: SNode): string[] => {
  const out: string[] = [];
  walk(root, (n) => {
    out.push(`${n.field ?? ""}:${n.type}@${n.start}-${n.end}`);
  });
  return out;
};

describe('patterns: copying parse trees', () => {
  for (const language of LANGUAGES) {
    it(`reads the same tree through the direct cursor as through the public API, extents from the text or the parser (${language})`, async () => {
      await host.ready(language);
      // The direct cursor must be in use here, or this test compares the public API with itself.
      assert.ok(host.binding, 'the runtime exposes its cursor exports');
      const text = Object.values(EXAMPLES[language]).flatMap((e) => [e.pos, e.neg]).join('\n');
      const tree = host.parse(language, text);
      assert.ok(tree);
      const fast = copyTree(tree.rootNode, tree.language, text, host.binding).root;
      const slow = copyTree(tree.rootNode, tree.language).root;
      assert.deepEqual(shape(fast), shape(slow));
      tree.delete();
    });
  }
});

describe('patterns: line index', () => {
  const starts = (index: LineIndex): number[] => Array.from({ length: index.count }, (_, i) => index.startOf(i));

  it('after an edit, equals the index of the edited text', () => {
    const textArb = fc.array(fc.constantFrom('a', 'bc', '\n', '\r\n', ' '), { maxLength: 40 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(textArb, fc.nat(), fc.nat(), textArb, (text, a, b, inserted) => {
        const start = text.length === 0 ? 0 : a % (text.length + 1);
        const oldEnd = start + (b % (text.length - start + 1));
        const edited = text.slice(0, start) + inserted + text.slice(oldEnd);
        assert.deepEqual(starts(new LineIndex(text).edited(start, oldEnd, inserted)), starts(new LineIndex(edited)));
      }),
      { numRuns: 500, seed: 3 },
    );
  });
});
