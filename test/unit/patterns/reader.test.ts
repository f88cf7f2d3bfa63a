import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LANGUAGES, analyzeText } from '../../../src/patterns/index';
import type { LanguageId } from '../../../src/patterns/index';
import { NO_CHILDREN, differenceFromCursor } from '../../../src/patterns/reader';
import { copyTree, walk } from '../../../src/patterns/syntax';
import type { SNode } from '../../../src/patterns/syntax';
import { EXAMPLES } from './examples';
import { host } from './support';

const shape = (root: SNode): string[] => {
  const out: string[] = [];
  walk(root, (n) => {
    out.push(`${n.field ?? ''}:${n.type}${n.named ? '' : '?'}@${n.start}-${n.end}`);
  });
  return out;
};

/** Reads `text`'s tree from memory and through the cursor; both the raw nodes and the detectors' copy must agree. */
function assertReadsAlike(language: LanguageId, text: string): void {
  const reader = host.reader(language);
  assert.ok(reader, `${language}: the memory reader passed its check`);
  const tree = host.parse(language, text);
  assert.ok(tree);
  try {
    assert.equal(differenceFromCursor(reader, tree, host.binding), undefined, `${language}: ${JSON.stringify(text.slice(0, 200))}`);
    const fromMemory = reader.copy(reader.root(tree)).root;
    const fromCursor = copyTree(tree.rootNode, tree.language).root;
    assert.deepEqual(shape(fromMemory), shape(fromCursor));
  } finally {
    tree.delete();
  }
}

describe('patterns: reading parse trees from wasm memory', function () {
  this.timeout(60_000);
  before(async () => {
    for (const language of LANGUAGES) await host.ready(language);
  });

  for (const language of LANGUAGES) {
    it(`reads the examples as the tree cursor does, and every truncation of them (${language})`, () => {
      const text = Object.values(EXAMPLES[language]).flatMap((e) => [e.pos, e.neg]).join('\n');
      assertReadsAlike(language, text);
      for (let cut = 0; cut <= text.length; cut += 211) assertReadsAlike(language, text.slice(0, cut));
    });
  }

  it('reads random text as the tree cursor does, in every language', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LANGUAGES), fc.string({ unit: 'binary', maxLength: 600 }), (language, text) => {
        assertReadsAlike(language, text);
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('reads spliced code (syntax errors in every place) as the tree cursor does', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LANGUAGES), fc.nat(), fc.nat(), fc.nat({ max: 40 }), (language, a, b, len) => {
        const text = Object.values(EXAMPLES[language]).map((e) => e.pos).join('\n');
        const from = a % text.length;
        const to = b % text.length;
        assertReadsAlike(language, text.slice(0, from) + text.slice(to, to + len) + text.slice(from));
      }),
      { numRuns: 150, seed: 12 },
    );
  });

  it('leaves the children array shared by all leaves empty after every detector has run', () => {
    for (const language of LANGUAGES) {
      const text = Object.values(EXAMPLES[language]).flatMap((e) => [e.pos, e.neg]).join('\n');
      assert.ok(analyzeText(host, `x.${language}`, language, text).findings.length > 0);
    }
    assert.equal(NO_CHILDREN.length, 0);
  });

  it('stops at the same depth as the cursor copy in deeply nested input', () => {
    assertReadsAlike('javascript', `x = ${'(\n'.repeat(1500)}1${')\n'.repeat(1500)};`);
    assertReadsAlike('rust', `fn f() {\n${'{\n'.repeat(1500)}${'}\n'.repeat(1500)}}`);
  });
});
