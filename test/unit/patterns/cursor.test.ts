import assert from 'node:assert/strict';
import type { Node as TsNode } from 'web-tree-sitter';
import { openCursor } from '../../../src/patterns/cursor';
import type { Cursor } from '../../../src/patterns/cursor';
import { EXAMPLES } from './examples';
import { host } from './support';

/** Pre-order list of every node under the cursor: type, field and extent. */
function listAll(c: Cursor, between: () => void = () => undefined): string[] {
  const out: string[] = [];
  for (;;) {
    out.push(`${c.fieldId()}:${c.typeId()}${c.isNamed() ? '' : '?'}@${c.startIndex()}-${c.endIndex()}`);
    between();
    if (c.gotoFirstChild()) continue;
    while (!c.gotoNextSibling()) if (!c.gotoParent()) return out;
  }
}

describe('patterns: the direct tree cursor', () => {
  const text = Object.values(EXAMPLES.typescript).flatMap((e) => [e.pos, e.neg]).join('\n');

  it('visits the same nodes as the public TreeCursor', async () => {
    await host.ready('typescript');
    assert.ok(host.binding);
    const tree = host.parse('typescript', text);
    assert.ok(tree);
    const fast = openCursor(tree.rootNode, host.binding);
    const api = openCursor(tree.rootNode, undefined);
    try {
      const expected = listAll(api);
      assert.ok(expected.length > 500);
      assert.deepEqual(listAll(fast), expected);
    } finally {
      fast.delete();
      api.delete();
      tree.delete();
    }
  });

  it('keeps its place while other cursors and public-API calls use the transfer buffer in between', async () => {
    await host.ready('typescript');
    const tree = host.parse('typescript', text);
    assert.ok(tree);
    const api = openCursor(tree.rootNode, undefined);
    const expected = listAll(api);
    api.delete();
    const outer = openCursor(tree.rootNode, host.binding);
    let step = 0;
    try {
      const seen = listAll(outer, () => {
        step++;
        // Every few nodes: a second direct cursor walks the current node's subtree, and the
        // public API reads nodes (each of these overwrites the shared transfer buffer).
        if (step % 7 !== 0) return;
        const node: TsNode = outer.node();
        const inner = openCursor(node, host.binding);
        try {
          inner.gotoFirstChild();
          inner.gotoNextSibling();
          inner.typeId();
        } finally {
          inner.delete();
        }
        assert.equal(typeof node.hasError, 'boolean');
        void tree.rootNode.childCount;
      });
      assert.deepEqual(seen, expected);
    } finally {
      outer.delete();
      tree.delete();
    }
  });
});
