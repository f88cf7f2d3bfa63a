import type { Language, Node as TsNode } from 'web-tree-sitter';

/**
 * A plain-object copy of a parse subtree. Walking tree-sitter's own nodes crosses into wasm
 * on every property read; detectors walk this copy instead, built once per changed unit.
 * Offsets are UTF-16 indexes relative to the start of the copied subtree.
 */
export interface SNode {
  type: string;
  named: boolean;
  field: string | undefined;
  start: number;
  end: number;
  parent: SNode | undefined;
  children: SNode[];
}

/** Subtrees deeper than this are cut off: deeply nested input must not exhaust the stack. */
export const MAX_DEPTH = 400;

interface TypeTable {
  names: string[];
  named: boolean[];
  fields: (string | undefined)[];
}
const tables = new WeakMap<Language, TypeTable>();

function table(lang: Language): TypeTable {
  let t = tables.get(lang);
  if (!t) {
    t = { names: [], named: [], fields: [] };
    tables.set(lang, t);
  }
  return t;
}

/** Copies `node`'s subtree; `truncated` tells whether anything below {@link MAX_DEPTH} was dropped. */
export function copyTree(node: TsNode, lang: Language): { root: SNode; truncated: boolean } {
  const t = table(lang);
  const base = node.startIndex;
  const cursor = node.walk();
  let truncated = false;
  const make = (parent: SNode | undefined): SNode => {
    const id = cursor.nodeTypeId;
    let name = t.names[id];
    if (name === undefined) {
      name = lang.nodeTypeForId(id) ?? `#${id}`;
      t.names[id] = name;
      t.named[id] = lang.nodeTypeIsNamed(id);
    }
    const fid = cursor.currentFieldId;
    let field: string | undefined;
    if (fid > 0) {
      field = t.fields[fid];
      if (field === undefined) {
        field = lang.fieldNameForId(fid) ?? undefined;
        t.fields[fid] = field;
      }
    }
    return {
      type: cursor.nodeIsMissing ? 'MISSING' : name,
      named: t.named[id] ?? false,
      field,
      start: cursor.startIndex - base,
      end: cursor.endIndex - base,
      parent,
      children: [],
    };
  };
  const root = make(undefined);
  root.field = undefined;
  let current = root;
  let depth = 0;
  try {
    for (;;) {
      if (depth < MAX_DEPTH && cursor.gotoFirstChild()) {
        depth++;
        const child = make(current);
        current.children.push(child);
        current = child;
        continue;
      }
      if (depth >= MAX_DEPTH && cursor.gotoFirstChild()) {
        truncated = true;
        cursor.gotoParent();
      }
      for (;;) {
        if (depth === 0) return { root, truncated };
        if (cursor.gotoNextSibling()) {
          const parent: SNode = current.parent ?? root;
          const sibling = make(parent);
          parent.children.push(sibling);
          current = sibling;
          break;
        }
        cursor.gotoParent();
        depth--;
        current = current.parent ?? root;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** Offsets of line starts in a text, for offset → line look-ups. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  get count(): number {
    return this.starts.length;
  }
  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  /** 0-based line of the last character of a range ending (exclusive) at `end`. */
  endLineOf(start: number, end: number): number {
    return this.lineOf(Math.max(start, end - 1));
  }
}

/** The child in a given field, if any. */
export function field(node: SNode, name: string): SNode | undefined {
  for (const c of node.children) if (c.field === name) return c;
  return undefined;
}

/** All children in a given field. */
export function fields(node: SNode, name: string): SNode[] {
  return node.children.filter((c) => c.field === name);
}

/** Named children only. */
export function named(node: SNode): SNode[] {
  return node.children.filter((c) => c.named);
}

/** Depth-first pre-order walk; `visit` returning false skips the node's children. Iterative. */
export function walk(node: SNode, visit: (n: SNode) => boolean | void): void {
  const stack: SNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n) break;
    if (visit(n) === false) continue;
    for (let i = n.children.length - 1; i >= 0; i--) {
      const c = n.children[i];
      if (c) stack.push(c);
    }
  }
}
