import type { Language, Node as TsNode } from 'web-tree-sitter';
import type { Binding } from './cursor';
import { openCursor } from './cursor';

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
  /** {@link ROLE} bits of the node's type, filled in when a unit is analysed (0 until then). */
  roles: number;
}

/** Subtrees deeper than this are cut off: deeply nested input must not exhaust the stack. */
export const MAX_DEPTH = 400;

interface TypeTable {
  names: string[];
  named: boolean[];
  fields: (string | undefined)[];
}
const tables = new WeakMap<Language, TypeTable>();

/**
 * The same string, internalised: type names come out of wasm memory as fresh strings, and the
 * detectors compare them with literals all the time, which is a pointer compare only when both
 * sides are internalised (property keys are).
 */
export function intern(s: string): string {
  return Object.keys({ [s]: 0 })[0] ?? s;
}

function table(lang: Language): TypeTable {
  let t = tables.get(lang);
  if (!t) {
    t = { names: [], named: [], fields: [] };
    tables.set(lang, t);
  }
  return t;
}

/** Punctuation the detectors never look at: left out of the copy (they are most of the leaves). */
export const PUNCTUATION: ReadonlySet<string> = new Set([';', ',', '(', ')', '.', ':', '{', '}', '[', ']']);

/**
 * Node types copied without their children: string literals and (TypeScript) type expressions,
 * which no detector looks inside.
 */
export const OPAQUE: ReadonlySet<string> = new Set([
  'string', 'string_literal', 'interpreted_string_literal', 'raw_string_literal', 'regex',
  'type_annotation', 'type_arguments', 'type_parameters', 'predefined_type', 'object_type', 'union_type', 'literal_type', 'generic_type', 'array_type', 'tuple_type', 'function_type', 'interface_body',
]);

/** Parents whose anonymous children (operators, `_`) carry a field the detectors read. */
export const OPERATOR_PARENTS: ReadonlySet<string> = new Set(['binary_expression', 'boolean_operator', 'unary_expression', 'let_declaration', 'augmented_assignment_expression', 'assignment_expression', 'update_expression']);
/** Leaves whose extent can be read off the text: an identifier runs to the first non-identifier character. */
const IDENTIFIER_LEAVES = new Set(['identifier', 'property_identifier', 'field_identifier', 'type_identifier', 'shorthand_property_identifier', 'statement_identifier', 'package_identifier']);

function identEnd(text: string, i: number): number {
  let j = i;
  for (;;) {
    const c = text.charCodeAt(j);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c >= 0xc0) j++;
    else return j;
  }
}

/**
 * Copies `node`'s subtree; `truncated` tells whether anything below {@link MAX_DEPTH} was
 * dropped. `text` is the subtree's own text: with it, leaves whose end follows from their text
 * (keywords, operators, identifiers) cost one call less. With `roles` (a spec's role map), each
 * node's role bits are filled in; `all` receives every node in document order.
 */
export function copyTree(node: TsNode, lang: Language, text?: string, binding?: Binding, roles?: ReadonlyMap<string, number>, all?: SNode[]): { root: SNode; truncated: boolean } {
  const t = table(lang);
  const base = node.startIndex;
  const cursor = openCursor(node, binding);
  let truncated = false;
  const typeName = (id: number): string => {
    let name = t.names[id];
    if (name === undefined) {
      name = intern(lang.nodeTypeForId(id) ?? `#${id}`);
      t.names[id] = name;
      t.named[id] = lang.nodeTypeIsNamed(id);
    }
    return name;
  };
  const make = (parent: SNode | undefined, id: number, name: string): SNode => {
    const named = t.named[id] ?? false;
    let field: string | undefined;
    if (named || (parent !== undefined && OPERATOR_PARENTS.has(parent.type))) {
      const fid = cursor.fieldId();
      if (fid > 0) {
        field = t.fields[fid];
        if (field === undefined) {
          const fieldName = lang.fieldNameForId(fid);
          field = fieldName === null ? undefined : intern(fieldName);
          t.fields[fid] = field;
        }
      }
    }
    const start = cursor.startIndex() - base;
    let end: number;
    if (text !== undefined && !named && text.startsWith(name, start)) end = start + name.length;
    else if (text !== undefined && IDENTIFIER_LEAVES.has(name) && identEnd(text, start) > start) end = identEnd(text, start);
    else end = cursor.endIndex() - base;
    const copy: SNode = { type: name, named, field, start, end, parent, children: [], roles: roles?.get(name) ?? 0 };
    all?.push(copy);
    return copy;
  };
  const rootId = cursor.typeId();
  const root = make(undefined, rootId, typeName(rootId));
  root.field = undefined;
  // `current` is the copy of the cursor's node, or of its nearest copied ancestor when the
  // cursor sits on punctuation (which is never copied and has no children).
  let current = root;
  let onCopied = true;
  let depth = 0;
  try {
    for (;;) {
      const descend = onCopied && !OPAQUE.has(current.type);
      if (descend && depth < MAX_DEPTH && cursor.gotoFirstChild()) {
        depth++;
        const id = cursor.typeId();
        const name = typeName(id);
        if (PUNCTUATION.has(name)) onCopied = false;
        else {
          const child = make(current, id, name);
          current.children.push(child);
          current = child;
          onCopied = true;
        }
        continue;
      }
      if (descend && depth >= MAX_DEPTH && cursor.gotoFirstChild()) {
        truncated = true;
        cursor.gotoParent();
      }
      for (;;) {
        if (depth === 0) return { root, truncated };
        const parent: SNode = onCopied ? (current.parent ?? root) : current;
        if (cursor.gotoNextSibling()) {
          const id = cursor.typeId();
          const name = typeName(id);
          if (PUNCTUATION.has(name)) {
            current = parent;
            onCopied = false;
          } else {
            const sibling = make(parent, id, name);
            parent.children.push(sibling);
            current = sibling;
            onCopied = true;
          }
          break;
        }
        cursor.gotoParent();
        depth--;
        current = parent;
        onCopied = true;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** Offsets of line starts in a text, for offset → line look-ups. */
export class LineIndex {
  /** One typed array per index: an edit makes a new one of the exact size, with nothing to grow. */
  private readonly starts: Int32Array;
  constructor(text: string, starts?: Int32Array) {
    if (starts) {
      this.starts = starts;
      return;
    }
    let n = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    this.starts = new Int32Array(n);
    let k = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts[k++] = i + 1;
  }

  /**
   * The index of the text after `[start, oldEnd)` was replaced by `inserted`, equal to a new
   * index of the edited text, without scanning the text again.
   */
  edited(start: number, oldEnd: number, inserted: string): LineIndex {
    const delta = inserted.length - (oldEnd - start);
    const starts = this.starts;
    // Line starts up to `start` stay; those inside the replaced range go; later ones shift.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] ?? 0) <= start) lo = mid + 1;
      else hi = mid;
    }
    const keep = lo;
    let j = keep;
    while (j < starts.length && (starts[j] ?? 0) <= oldEnd) j++;
    let added = 0;
    for (let i = inserted.indexOf('\n'); i >= 0; i = inserted.indexOf('\n', i + 1)) added++;
    const next = new Int32Array(keep + added + starts.length - j);
    next.set(starts.subarray(0, keep));
    let k = keep;
    for (let i = inserted.indexOf('\n'); i >= 0; i = inserted.indexOf('\n', i + 1)) next[k++] = start + i + 1;
    for (; j < starts.length; j++) next[k++] = (starts[j] ?? 0) + delta;
    return new LineIndex('', next);
  }
  get count(): number {
    return this.starts.length;
  }
  /** Offset where a 0-based line starts. */
  startOf(line: number): number {
    return this.starts[line] ?? 0;
  }
  /** Length of the longest line, for a text of the given length. */
  longest(textLength: number): number {
    let max = 0;
    for (let i = 0; i < this.starts.length; i++) max = Math.max(max, (this.starts[i + 1] ?? textLength + 1) - 1 - (this.starts[i] ?? 0));
    return max;
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
