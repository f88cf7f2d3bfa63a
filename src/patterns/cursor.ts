import type { Node as TsNode, TreeCursor } from 'web-tree-sitter';

/**
 * The tree walks the detectors need, without web-tree-sitter's per-call marshalling.
 *
 * Every `TreeCursor` method of web-tree-sitter copies the cursor's four handle words into a
 * shared transfer buffer in wasm memory, calls the C function (which reads the cursor from the
 * buffer and writes it back), and copies the words out again, through a generic `setValue`/
 * `getValue`. Walking the 31,000 nodes of a 3,000-line file that way costs about 20 ms; calling
 * the same C exports directly, with the cursor left in the buffer between calls, about 6 ms.
 * The exports are reached through the options object given to `Parser.init`, which the
 * Emscripten runtime turns into its module object. They are web-tree-sitter's internal binding,
 * pinned with the package (0.27.2): {@link bindingOf} checks that every export and handle this
 * file uses is there, and without them {@link openCursor} falls back to the public `TreeCursor`.
 */
export interface Cursor {
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  typeId(): number;
  isNamed(): boolean;
  startIndex(): number;
  endIndex(): number;
  fieldId(): number;
  delete(): void;
}

/** A cursor over web-tree-sitter's own tree, which can also hand out the node under it. */
export interface NodeCursor extends Cursor {
  /** The node under the cursor (through the public API). */
  node(): TsNode;
}

type CursorFn = (tree: number) => number;

/** The C exports of web-tree-sitter's wasm module that the fast cursor calls. */
export interface Binding {
  HEAP32: Int32Array;
  transferBuffer: number;
  firstChild: CursorFn;
  nextSibling: CursorFn;
  parent: CursorFn;
  typeId: CursorFn;
  isNamed: CursorFn;
  startIndex: CursorFn;
  endIndex: CursorFn;
  fieldId: CursorFn;
  module: Record<string, unknown>;
}

const EXPORTS = {
  firstChild: '_ts_tree_cursor_goto_first_child_wasm',
  nextSibling: '_ts_tree_cursor_goto_next_sibling_wasm',
  parent: '_ts_tree_cursor_goto_parent_wasm',
  typeId: '_ts_tree_cursor_current_node_type_id_wasm',
  isNamed: '_ts_tree_cursor_current_node_is_named_wasm',
  startIndex: '_ts_tree_cursor_start_index_wasm',
  endIndex: '_ts_tree_cursor_end_index_wasm',
  fieldId: '_ts_tree_cursor_current_field_id_wasm',
} as const;

/**
 * The binding, if the initialised module object has every export this file uses; undefined
 * otherwise (a different web-tree-sitter build), and cursors then use the public API.
 */
export function bindingOf(module: Record<string, unknown>): Binding | undefined {
  const fns: Partial<Record<keyof typeof EXPORTS, CursorFn>> = {};
  for (const [key, name] of Object.entries(EXPORTS) as [keyof typeof EXPORTS, string][]) {
    const f = module[name];
    if (typeof f !== 'function') return undefined;
    fns[key] = f as CursorFn;
  }
  const init = module._ts_init;
  if (typeof init !== 'function' || !(module.HEAP32 instanceof Int32Array)) return undefined;
  // ts_init returns the address of the static transfer buffer (and only writes two version words).
  const transferBuffer = (init as () => number)();
  if (typeof transferBuffer !== 'number' || transferBuffer <= 0 || transferBuffer % 4 !== 0) return undefined;
  const { firstChild, nextSibling, parent, typeId, isNamed, startIndex, endIndex, fieldId } = fns;
  if (!firstChild || !nextSibling || !parent || !typeId || !isNamed || !startIndex || !endIndex || !fieldId) return undefined;
  return {
    get HEAP32(): Int32Array {
      // Replaced by the runtime whenever wasm memory grows: read it afresh.
      return module.HEAP32 as Int32Array;
    },
    transferBuffer,
    firstChild,
    nextSibling,
    parent,
    typeId,
    isNamed,
    startIndex,
    endIndex,
    fieldId,
    module,
  };
}

function handlesOf(c: TreeCursor): number[] | undefined {
  const h = (c as unknown as { handles?: unknown }).handles;
  return Array.isArray(h) && h.length === 4 && h.every((x) => typeof x === 'number') ? h : undefined;
}

function treeAddress(node: TsNode): number | undefined {
  const a = (node.tree as unknown as Record<number, unknown>)[0];
  return typeof a === 'number' && a > 0 ? a : undefined;
}

/** The fast cursor whose state currently sits in the transfer buffer, if any. */
let owner: FastCursor | undefined;

/**
 * Puts the transfer buffer back at web-tree-sitter's disposal: the fast cursor holding it
 * copies its state out. Called before any public-API call while fast cursors are open.
 */
export function releaseTransferBuffer(): void {
  owner?.park();
}

function claim(c: FastCursor): void {
  owner = c;
}

class FastCursor implements NodeCursor {
  private readonly slot: number;

  constructor(
    private readonly b: Binding,
    private readonly api: TreeCursor,
    private readonly handles: number[],
    private readonly tree: number,
  ) {
    this.slot = b.transferBuffer >> 2;
  }

  /** Copies this cursor's state into the transfer buffer (after another user wrote there). */
  private take(): void {
    owner?.park();
    const H = this.b.HEAP32;
    const h = this.handles;
    H[this.slot] = h[0] ?? 0;
    H[this.slot + 1] = h[1] ?? 0;
    H[this.slot + 2] = h[2] ?? 0;
    H[this.slot + 3] = h[3] ?? 0;
    claim(this);
  }

  /** Copies this cursor's state out of the transfer buffer. */
  park(): void {
    if (owner !== this) return;
    const H = this.b.HEAP32;
    const h = this.handles;
    h[0] = H[this.slot] ?? 0;
    h[1] = H[this.slot + 1] ?? 0;
    h[2] = H[this.slot + 2] ?? 0;
    h[3] = H[this.slot + 3] ?? 0;
    owner = undefined;
  }

  gotoFirstChild(): boolean {
    if (owner !== this) this.take();
    return this.b.firstChild(this.tree) === 1;
  }
  gotoNextSibling(): boolean {
    if (owner !== this) this.take();
    return this.b.nextSibling(this.tree) === 1;
  }
  gotoParent(): boolean {
    if (owner !== this) this.take();
    return this.b.parent(this.tree) === 1;
  }
  typeId(): number {
    if (owner !== this) this.take();
    return this.b.typeId(this.tree);
  }
  isNamed(): boolean {
    if (owner !== this) this.take();
    return this.b.isNamed(this.tree) === 1;
  }
  startIndex(): number {
    if (owner !== this) this.take();
    return this.b.startIndex(this.tree);
  }
  endIndex(): number {
    if (owner !== this) this.take();
    return this.b.endIndex(this.tree);
  }
  fieldId(): number {
    if (owner !== this) this.take();
    return this.b.fieldId(this.tree);
  }
  node(): TsNode {
    this.park();
    return this.api.currentNode;
  }
  delete(): void {
    this.park();
    this.api.delete();
  }
}

/** The same interface over the public API. */
class ApiCursor implements NodeCursor {
  constructor(private readonly c: TreeCursor) {}
  gotoFirstChild(): boolean {
    return this.c.gotoFirstChild();
  }
  gotoNextSibling(): boolean {
    return this.c.gotoNextSibling();
  }
  gotoParent(): boolean {
    return this.c.gotoParent();
  }
  typeId(): number {
    return this.c.nodeTypeId;
  }
  isNamed(): boolean {
    return this.c.nodeIsNamed;
  }
  startIndex(): number {
    return this.c.startIndex;
  }
  endIndex(): number {
    return this.c.endIndex;
  }
  fieldId(): number {
    return this.c.currentFieldId;
  }
  node(): TsNode {
    return this.c.currentNode;
  }
  delete(): void {
    this.c.delete();
  }
}

/** A cursor on `node`: the fast one when the binding is usable, else the public one. */
export function openCursor(node: TsNode, binding: Binding | undefined): NodeCursor {
  releaseTransferBuffer();
  const api = node.walk();
  if (binding) {
    const handles = handlesOf(api);
    const tree = treeAddress(node);
    if (handles && tree !== undefined) return new FastCursor(binding, api, handles, tree);
  }
  return new ApiCursor(api);
}
