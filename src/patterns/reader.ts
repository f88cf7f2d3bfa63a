import type { Language, Node as TsNode, Tree } from 'web-tree-sitter';
import type { Binding, Cursor } from './cursor';
import { openCursor } from './cursor';
import type { SNode } from './syntax';
import { MAX_DEPTH, OPAQUE, OPERATOR_PARENTS, PUNCTUATION, intern } from './syntax';

/**
 * Reads parse trees straight out of the runtime's wasm memory.
 *
 * Even with direct calls (cursor.ts), a tree cursor costs a call into wasm per step and per
 * property: about 6 ms for the 31,000 nodes of a 3,000-line file, against about 17 ms for the
 * parse itself. Tree-sitter's nodes are plain structs in linear memory, so the same walk can be
 * done with typed-array reads, in about 1 ms. This file mirrors what tree-sitter's
 * `ts_tree_cursor_goto_first_child`/`goto_next_sibling`/`current_field_id` do — visible
 * children, hidden nodes looked through, aliases, fields inherited through hidden nodes — over
 * the struct layouts of the runtime web-tree-sitter 0.27.2 ships (wasm32, little-endian):
 *
 * - `Subtree` (8 bytes): inline leaf data when bit 0 of its first byte is set (then byte 0 holds
 *   the flags visible, named, extra, has_changes, is_missing in bits 1–5, byte 1 the symbol,
 *   byte 6 the padding and byte 7 the size in bytes), else a pointer to heap data, whose
 *   children (8 bytes each) sit just before it;
 * - `SubtreeHeapData`: padding bytes at 4, size bytes at 16, error cost at 32, child count at
 *   36, symbol at 40, flags at 44 (visible bit 0, extra bit 2, is_missing bit 9), visible child
 *   count at 48, production id at 66;
 * - `TSLanguage` (the grammar ABI, shared with every compiled grammar): field count at 32,
 *   maximum alias sequence length at 36, field map slices and entries at 64 and 68, public
 *   symbol map at 76, alias sequences at 84.
 *
 * A layout that differs (another runtime build) must not produce wrong trees, so a reader is
 * used for a grammar only after {@link verifiedReader} has walked a probe text with syntax
 * errors, comments, aliases and fields both ways — here and through the tree cursor — and found
 * every node's type, field, extent and error flag equal.
 */

/** A node found in wasm memory. */
export interface MemNode {
  /** Address of the node's 8-byte `Subtree` slot. */
  slot: number;
  /** Node type: the alias if any, else the public symbol; {@link TreeReader.errorType} for ERROR. */
  type: number;
  /** Field id in its parent (0: none). */
  field: number;
  /** UTF-16 offsets, as web-tree-sitter reports them. */
  start: number;
  end: number;
}

const ERROR_SYMBOL = 0xffff;

// SubtreeHeapData
const H_PADDING = 4;
const H_SIZE = 16;
const H_ERROR_COST = 32;
const H_CHILD_COUNT = 36;
const H_SYMBOL = 40;
const H_FLAGS = 44;
const H_VISIBLE_CHILD_COUNT = 48;
const H_PRODUCTION_ID = 66;
// TSLanguage
const L_FIELD_COUNT = 32;
const L_MAX_ALIAS_SEQUENCE_LENGTH = 36;
const L_FIELD_MAP_SLICES = 64;
const L_FIELD_MAP_ENTRIES = 68;
const L_PUBLIC_SYMBOL_MAP = 76;
const L_ALIAS_SEQUENCES = 84;

/** State of one {@link TreeReader.copy}. */
interface CopyJob {
  base: number;
  roles: Int32Array | undefined;
  all: SNode[] | undefined;
  truncated: boolean;
}

/**
 * The children of every copied leaf: one shared empty array instead of one per leaf (most
 * nodes are leaves). Nothing may add to it (the detectors only read trees; a test checks it
 * stays empty). It is not frozen and held an object once, so that its elements kind matches
 * the other children arrays' and loops over children stay monomorphic: a frozen array made
 * the detectors 15% slower.
 */
export const NO_CHILDREN: SNode[] = [];
NO_CHILDREN.push({} as SNode);
NO_CHILDREN.pop();

/** Visits one visible child: its slot, heap data (0 for a leaf), start and size in bytes, type and field. */
type ChildVisitor = (slot: number, heap: number, startByte: number, sizeBytes: number, type: number, field: number) => void;

/** The views of wasm memory, read afresh for every walk: the runtime replaces them when memory grows. */
interface Views {
  u8: Uint8Array;
  u16: Uint16Array;
  u32: Uint32Array;
}

export class TreeReader {
  /** Type names, named-ness and detector-relevant classes by type index (aliases included; ERROR last). */
  readonly names: string[] = [];
  readonly named: boolean[] = [];
  readonly fields: (string | undefined)[] = [undefined];
  /** Index standing for tree-sitter's ERROR symbol (0xffff) in the tables. */
  readonly errorType: number;
  private readonly skip: Uint8Array;
  private readonly opaque: Uint8Array;
  private readonly operatorParent: Uint8Array;
  private readonly fieldCount: number;
  private readonly maxAlias: number;
  private readonly fieldSlices: number;
  private readonly fieldEntries: number;
  private readonly publicSymbols: number;
  private readonly aliasSequences: number;
  private v: Views;
  private readonly roleTables = new WeakMap<ReadonlyMap<string, number>, Int32Array>();

  constructor(
    private readonly binding: Binding,
    lang: Language,
  ) {
    const count = lang.nodeTypeCount;
    for (let i = 0; i < count; i++) {
      this.names.push(intern(lang.nodeTypeForId(i) ?? `#${i}`));
      this.named.push(lang.nodeTypeIsNamed(i));
    }
    this.errorType = count;
    this.names.push('ERROR');
    this.named.push(true);
    for (let i = 1; i <= lang.fieldCount; i++) {
      const name = lang.fieldNameForId(i);
      this.fields.push(name === null ? undefined : intern(name));
    }
    this.skip = new Uint8Array(count + 1);
    this.opaque = new Uint8Array(count + 1);
    this.operatorParent = new Uint8Array(count + 1);
    this.names.forEach((name, i) => {
      this.skip[i] = PUNCTUATION.has(name) ? 1 : 0;
      this.opaque[i] = OPAQUE.has(name) ? 1 : 0;
      this.operatorParent[i] = OPERATOR_PARENTS.has(name) ? 1 : 0;
    });
    this.v = this.views();
    const at = (lang as unknown as Record<number, unknown>)[0];
    if (typeof at !== 'number' || at <= 0) throw new Error('language has no address');
    const u32 = this.v.u32;
    this.fieldCount = u32[(at + L_FIELD_COUNT) >> 2] ?? 0;
    this.maxAlias = this.v.u16[(at + L_MAX_ALIAS_SEQUENCE_LENGTH) >> 1] ?? 0;
    this.fieldSlices = u32[(at + L_FIELD_MAP_SLICES) >> 2] ?? 0;
    this.fieldEntries = u32[(at + L_FIELD_MAP_ENTRIES) >> 2] ?? 0;
    this.publicSymbols = u32[(at + L_PUBLIC_SYMBOL_MAP) >> 2] ?? 0;
    this.aliasSequences = u32[(at + L_ALIAS_SEQUENCES) >> 2] ?? 0;
    if (this.fieldCount !== lang.fieldCount) throw new Error('language layout differs');
  }

  private views(): Views {
    const m = this.binding.module;
    return { u8: m.HEAPU8 as Uint8Array, u16: m.HEAPU16 as Uint16Array, u32: m.HEAPU32 as Uint32Array };
  }

  /** Role bits by type index for one spec (see `ROLE`), computed once. */
  rolesFor(roles: ReadonlyMap<string, number>): Int32Array {
    let table = this.roleTables.get(roles);
    if (!table) {
      table = Int32Array.from(this.names, (name) => roles.get(name) ?? 0);
      this.roleTables.set(roles, table);
    }
    return table;
  }

  /** The node a web-tree-sitter node stands for (its type and field as the cursor reads them). */
  nodeOf(node: TsNode, type: number, field: number): MemNode {
    return { slot: node.id, type: type === ERROR_SYMBOL ? this.errorType : type, field, start: node.startIndex, end: node.endIndex };
  }

  /** The tree's root. */
  root(tree: Tree): MemNode {
    const r = tree.rootNode;
    return this.nodeOf(r, r.typeId, 0);
  }

  /** Heap data of the node in `slot` if it has visible descendants, else 0. */
  private heapOf(slot: number): number {
    const { u8, u32 } = this.v;
    if ((u8[slot] ?? 1) & 1) return 0;
    const heap = u32[slot >> 2] ?? 0;
    return (u32[(heap + H_CHILD_COUNT) >> 2] ?? 0) > 0 && (u32[(heap + H_VISIBLE_CHILD_COUNT) >> 2] ?? 0) > 0 ? heap : 0;
  }

  /** Whether the node contains a syntax error (an ERROR node or a missing token), as `Node.hasError`. */
  hasError(n: MemNode): boolean {
    this.v = this.views();
    const { u8, u16, u32 } = this.v;
    const b0 = u8[n.slot] ?? 0;
    if (b0 & 1) return (b0 & 0x20) !== 0;
    const heap = u32[n.slot >> 2] ?? 0;
    // An ERROR leaf (an unexpected character) carries no error cost of its own, yet counts.
    return ((u16[(heap + H_FLAGS) >> 1] ?? 0) & 0x200) !== 0 || (u32[(heap + H_ERROR_COST) >> 2] ?? 0) > 0 || u16[(heap + H_SYMBOL) >> 1] === ERROR_SYMBOL;
  }

  /** The visible children of a node, hidden nodes looked through. */
  children(n: MemNode): MemNode[] {
    this.v = this.views();
    const out: MemNode[] = [];
    const heap = this.heapOf(n.slot);
    if (heap) {
      this.eachChild(heap, n.start * 2, 0, false, (slot, _heap, startByte, sizeBytes, type, field) => {
        out.push({ slot, type, field, start: startByte >> 1, end: (startByte + sizeBytes) >> 1 });
      });
    }
    return out;
  }

  /**
   * Copies the subtree under `n` into plain objects, as `copyTree` does through a cursor: the
   * same nodes left out (punctuation), the same ones not entered (opaque types), the same depth
   * limit, fields only on named nodes and operators. Offsets are relative to `n`'s start. With
   * `roles` (from {@link rolesFor}), each node's role bits are filled in; `all` receives every
   * node in document order.
   */
  copy(n: MemNode, roles?: Int32Array, all?: SNode[]): { root: SNode; truncated: boolean } {
    this.v = this.views();
    const heap = this.heapOf(n.slot);
    const enter = heap !== 0 && !this.opaque[n.type];
    const root: SNode = { type: this.names[n.type] ?? '', named: this.named[n.type] ?? false, field: undefined, start: 0, end: n.end - n.start, parent: undefined, children: enter ? [] : NO_CHILDREN, roles: roles?.[n.type] ?? 0 };
    all?.push(root);
    const job: CopyJob = { base: n.start, roles, all, truncated: false };
    if (enter) this.fill(job, root, n.type, heap, n.start * 2, 0);
    return { root, truncated: job.truncated };
  }

  /** Copies the visible children of the subtree at `heap` (starting at byte `pos`) under `parent`. */
  private fill(job: CopyJob, parent: SNode, parentType: number, heap: number, pos: number, depth: number): void {
    const { names, named, fields, skip, opaque, operatorParent } = this;
    this.eachChild(heap, pos, 0, false, (_slot, childHeap, start, size, type, field) => {
      if (skip[type]) return;
      const isNamed = named[type] ?? false;
      const enter = childHeap !== 0 && !opaque[type];
      const node: SNode = {
        type: names[type] ?? '',
        named: isNamed,
        field: isNamed || operatorParent[parentType] ? fields[field] : undefined,
        start: (start >> 1) - job.base,
        end: ((start + size) >> 1) - job.base,
        parent,
        children: enter && depth + 1 < MAX_DEPTH ? [] : NO_CHILDREN,
        roles: job.roles?.[type] ?? 0,
      };
      parent.children.push(node);
      job.all?.push(node);
      if (enter) {
        if (depth + 1 < MAX_DEPTH) this.fill(job, node, type, childHeap, start, depth + 1);
        else job.truncated = true;
      }
    });
  }

  /**
   * The visible children of the subtree whose heap data is at `heap` and which starts at byte
   * `pos`, in order: tree-sitter's child iteration (aliases mark children visible, extras take
   * no alias or field) with hidden children entered in place. `inherited` is the field a hidden
   * parent holds in its own parent, which its children take when they have none of their own.
   */
  private eachChild(heap: number, pos: number, inherited: number, viaHidden: boolean, visit: ChildVisitor): void {
    const { u8, u16, u32 } = this.v;
    const count = u32[(heap + H_CHILD_COUNT) >> 2] ?? 0;
    const production = u16[(heap + H_PRODUCTION_ID) >> 1] ?? 0;
    const aliases = production && this.aliasSequences ? (this.aliasSequences >> 1) + production * this.maxAlias : 0;
    let fieldFrom = 0;
    let fieldTo = 0;
    if (this.fieldCount > 0) {
      const slice = this.fieldSlices + production * 4;
      fieldFrom = this.fieldEntries + (u16[slice >> 1] ?? 0) * 4;
      fieldTo = fieldFrom + (u16[(slice + 2) >> 1] ?? 0) * 4;
    }
    let slot = heap - 8 * count;
    let structural = 0;
    for (let i = 0; i < count; i++, slot += 8) {
      const b0 = u8[slot] ?? 0;
      let visible: number;
      let extra: number;
      let symbol: number;
      let size: number;
      let childHeap = 0;
      let visibleChildren = 0;
      if (b0 & 1) {
        visible = (b0 >> 1) & 1;
        extra = (b0 >> 3) & 1;
        symbol = u8[slot + 1] ?? 0;
        if (i > 0) pos += u8[slot + 6] ?? 0;
        size = u8[slot + 7] ?? 0;
      } else {
        const h = u32[slot >> 2] ?? 0;
        const flags = u16[(h + H_FLAGS) >> 1] ?? 0;
        visible = flags & 1;
        extra = (flags >> 2) & 1;
        symbol = u16[(h + H_SYMBOL) >> 1] ?? 0;
        if (i > 0) pos += u32[(h + H_PADDING) >> 2] ?? 0;
        size = u32[(h + H_SIZE) >> 2] ?? 0;
        // A node without visible descendants has nothing to enter.
        if ((u32[(h + H_CHILD_COUNT) >> 2] ?? 0) > 0) visibleChildren = u32[(h + H_VISIBLE_CHILD_COUNT) >> 2] ?? 0;
        if (visibleChildren > 0) childHeap = h;
      }
      let alias = 0;
      let field = 0;
      if (!extra) {
        if (aliases) alias = u16[aliases + structural] ?? 0;
        for (let e = fieldFrom; e < fieldTo; e += 4) {
          if (u8[e + 3] === 0 && u8[e + 2] === structural) {
            field = u16[e >> 1] ?? 0;
            break;
          }
        }
        structural++;
      }
      if (field === 0 && viaHidden) field = inherited;
      if (visible || alias) {
        const type = alias || (symbol === ERROR_SYMBOL ? this.errorType : (u16[(this.publicSymbols >> 1) + symbol] ?? 0));
        visit(slot, childHeap, pos, size, type, field);
      } else if (visibleChildren > 0) {
        this.eachChild(childHeap, pos, field, true, visit);
      }
      pos += size;
    }
  }
}

/** The cursor interface over a tree in memory (for walks that read few nodes, such as the units). */
export class MemCursor implements Cursor {
  private readonly levels: { nodes: MemNode[]; at: number }[];

  constructor(
    private readonly reader: TreeReader,
    root: MemNode,
  ) {
    this.levels = [{ nodes: [root], at: 0 }];
  }

  /** The node under the cursor. */
  current(): MemNode {
    const top = this.levels[this.levels.length - 1];
    const n = top?.nodes[top.at];
    if (!n) throw new Error('cursor is off the tree');
    return n;
  }
  gotoFirstChild(): boolean {
    const nodes = this.reader.children(this.current());
    if (nodes.length === 0) return false;
    this.levels.push({ nodes, at: 0 });
    return true;
  }
  gotoNextSibling(): boolean {
    const top = this.levels[this.levels.length - 1];
    if (!top || this.levels.length === 1 || top.at + 1 >= top.nodes.length) return false;
    top.at++;
    return true;
  }
  gotoParent(): boolean {
    if (this.levels.length <= 1) return false;
    this.levels.pop();
    return true;
  }
  typeId(): number {
    const t = this.current().type;
    return t === this.reader.errorType ? ERROR_SYMBOL : t;
  }
  isNamed(): boolean {
    return this.reader.named[this.current().type] ?? false;
  }
  startIndex(): number {
    return this.current().start;
  }
  endIndex(): number {
    return this.current().end;
  }
  fieldId(): number {
    return this.current().field;
  }
  delete(): void {
    this.levels.length = 0;
  }
}

/** What a walk reads of every node, for comparing two ways of reading one tree. */
function signature(type: number, named: boolean, field: number, start: number, end: number, error: boolean): string {
  return `${type}${named ? '' : '?'}/${field}@${start}-${end}${error ? '!' : ''}`;
}

/** Every node of the tree read through the tree cursor, in pre-order. */
function listByCursor(tree: Tree, binding: Binding | undefined, errorType: number): string[] {
  const out: string[] = [];
  const c = openCursor(tree.rootNode, binding);
  try {
    for (;;) {
      const t = c.typeId();
      const named = c.isNamed();
      const start = c.startIndex();
      const end = c.endIndex();
      const field = c.fieldId();
      const error = c.node().hasError;
      out.push(signature(t === ERROR_SYMBOL ? errorType : t, named, field, start, end, error));
      if (c.gotoFirstChild()) continue;
      while (!c.gotoNextSibling()) if (!c.gotoParent()) return out;
    }
  } finally {
    c.delete();
  }
}

/** Every node of the tree read from memory, in pre-order. */
function listByMemory(reader: TreeReader, tree: Tree): string[] {
  const out: string[] = [];
  const c = new MemCursor(reader, reader.root(tree));
  for (;;) {
    const n = c.current();
    out.push(signature(n.type, reader.named[n.type] ?? false, n.field, n.start, n.end, reader.hasError(n)));
    if (c.gotoFirstChild()) continue;
    while (!c.gotoNextSibling()) if (!c.gotoParent()) return out;
  }
}

/**
 * Reads every node of `tree` from memory and through the tree cursor (type, named-ness, field,
 * extent, error flag) and returns the first difference, or undefined when they agree.
 */
export function differenceFromCursor(reader: TreeReader, tree: Tree, binding: Binding | undefined): string | undefined {
  const expected = listByCursor(tree, binding, reader.errorType);
  const seen = listByMemory(reader, tree);
  for (let i = 0; i < Math.max(expected.length, seen.length); i++) {
    if (expected[i] !== seen[i]) return `node ${i}: cursor ${expected[i] ?? '(none)'}, memory ${seen[i] ?? '(none)'}`;
  }
  return undefined;
}

const readers = new WeakMap<Language, TreeReader | null>();

/**
 * A memory reader for the grammar, if this runtime's layout was checked against the tree
 * cursor on `probe` (parsed by `parse`, and required to contain syntax errors); undefined
 * otherwise, and callers use the cursor.
 */
export function verifiedReader(binding: Binding | undefined, lang: Language, parse: (text: string) => Tree | undefined, probe: string): TreeReader | undefined {
  if (!binding) return undefined;
  const known = readers.get(lang);
  if (known !== undefined) return known ?? undefined;
  let result: TreeReader | null = null;
  const tree = parse(probe);
  try {
    if (tree?.rootNode.hasError && tree.rootNode.descendantCount > 100) {
      const reader = new TreeReader(binding, lang);
      if (differenceFromCursor(reader, tree, binding) === undefined) result = reader;
    }
  } catch {
    result = null;
  } finally {
    tree?.delete();
  }
  readers.set(lang, result);
  return result ?? undefined;
}
