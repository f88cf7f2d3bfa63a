import assert from 'node:assert/strict';
import { LANGUAGES } from '../../../src/patterns/index';
import { copyTree, walk } from '../../../src/patterns/syntax';
import type { SNode } from '../../../src/patterns/syntax';
import { EXAMPLES } from './examples';
import { host } from './support';

const shape = (root: SNode): string[] => {
  const out: string[] = [];
  walk(root, (n) => {
    out.push(`${n.type}@${n.start}-${n.end}`);
  });
  return out;
};

describe('patterns: copying parse trees', () => {
  for (const language of LANGUAGES) {
    it(`reads the same extents from the text as from the parser (${language})`, async () => {
      await host.ready(language);
      const text = Object.values(EXAMPLES[language]).flatMap((e) => [e.pos, e.neg]).join('\n');
      const tree = host.parse(language, text);
      assert.ok(tree);
      const fast = copyTree(tree.rootNode, tree.language, text).root;
      const slow = copyTree(tree.rootNode, tree.language).root;
      assert.deepEqual(shape(fast), shape(slow));
      tree.delete();
    });
  }
});
