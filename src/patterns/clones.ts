import { LineIndex } from './syntax';
import type { Token } from './tokens';

/** jscpd defaults: a clone is at least this many tokens … */
export const CLONE_MIN_TOKENS = 50;
/** … and spans at least this many lines (jscpd compares end line − start line with it). */
export const CLONE_MIN_LINES = 5;

/** One file's tokens, as the clone detector takes them. */
export interface CloneSource {
  file: string;
  /** Files are compared only within one group (jscpd's "format"). */
  group: string;
  text: string;
  tokens: readonly Token[];
  /** The tokens' window keys from an earlier run ({@link windowKeys}), when the caller kept them. */
  keys?: WindowKeys;
}

/** A file's window keys: one number per window of `minTokens` tokens, the same for the same tokens. */
export interface WindowKeys {
  /** Keys are comparable only within one generation of the token numbering. */
  generation: number;
  minTokens: number;
  keys: Float64Array;
}

/** One copy of a clone. Lines are 1-based. */
export interface CloneCopy {
  file: string;
  startLine: number;
  endLine: number;
}

/** A pair of copies: `a` is the later one, `b` the first seen. */
export interface Clone {
  a: CloneCopy;
  b: CloneCopy;
  tokens: number;
  lines: number;
}

const M1 = 2147483647;
const M2 = 1000000007;
const B1 = 911382323 % 1048573;
const B2 = 972663749 % 1048571;

function powMod(base: number, exp: number, mod: number): number {
  let r = 1;
  for (let i = 0; i < exp; i++) r = (r * base) % mod;
  return r;
}

/**
 * Token values numbered in the order first seen, shared by every run so that a file's window keys
 * stay valid while its tokens do (the tracker keeps them with the file's tokens). The numbers stay
 * below 2^21, which keeps the hash arithmetic exact; the numbering starts over, as a new
 * generation, when it would pass that.
 */
const tokenIds = new Map<string, number>();
let generation = 0;
const MAX_TOKEN_IDS = 2 ** 21;

/** Starts the token numbering over: every kept key goes stale and is computed again when used. */
export function restartTokenNumbering(): void {
  tokenIds.clear();
  generation++;
}

function tokenId(value: string): number {
  let id = tokenIds.get(value);
  if (id === undefined) {
    if (tokenIds.size + 1 >= MAX_TOKEN_IDS) restartTokenNumbering();
    id = tokenIds.size + 1;
    tokenIds.set(value, id);
  }
  return id;
}

/**
 * The Rabin–Karp key of every window of `minTokens` tokens (jscpd stops one window short of the
 * end: position < tokens − minTokens; so does this). 31 bits of one hash and 21 of the other make
 * one exact number, no string per window.
 */
export function windowKeys(tokens: readonly Token[], minTokens = CLONE_MIN_TOKENS): WindowKeys {
  const n = tokens.length;
  const count = Math.max(0, n - minTokens);
  const keys = new Float64Array(count);
  const at = generation;
  const ids = new Array<number>(n);
  for (let i = 0; i < n; i++) ids[i] = tokenId((tokens[i] as Token).value);
  if (generation !== at) return windowKeys(tokens, minTokens); // the numbering started over midway
  const top1 = powMod(B1, minTokens - 1, M1);
  const top2 = powMod(B2, minTokens - 1, M2);
  let h1 = 0;
  let h2 = 0;
  for (let k = 0; k < Math.min(minTokens, n); k++) {
    h1 = (h1 * B1 + (ids[k] as number)) % M1;
    h2 = (h2 * B2 + (ids[k] as number)) % M2;
  }
  for (let pos = 0; pos < count; pos++) {
    if (pos > 0) {
      const out = ids[pos - 1] as number;
      const inn = ids[pos + minTokens - 1] as number;
      h1 = (((h1 - ((out * top1) % M1) + M1) % M1) * B1 + inn) % M1;
      h2 = (((h2 - ((out * top2) % M2) + M2) % M2) * B2 + inn) % M2;
    }
    keys[pos] = h1 * 2097152 + (h2 % 2097152);
  }
  return { generation: at, minTokens, keys };
}

/** Keys from an earlier run when they are still valid, else computed now. */
export function currentKeys(tokens: readonly Token[], kept: WindowKeys | undefined, minTokens = CLONE_MIN_TOKENS): WindowKeys {
  return kept && kept.generation === generation && kept.minTokens === minTokens ? kept : windowKeys(tokens, minTokens);
}

/**
 * Where each window key was first seen: an open-addressing hash table in typed arrays (a Map
 * with one object per window made most of a run's time and garbage).
 */
class FirstSeen {
  private readonly keys: Float64Array;
  private readonly sources: Int32Array;
  private readonly positions: Int32Array;
  private readonly mask: number;

  /** `windows`: how many windows will be added at most; the table stays at most half full. */
  constructor(windows: number) {
    let capacity = 1024;
    while (capacity < windows * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.keys = new Float64Array(capacity);
    this.sources = new Int32Array(capacity).fill(-1);
    this.positions = new Int32Array(capacity);
  }

  /** The slot of `key`: where it is, or the free slot where it would go. */
  private slot(key: number): number {
    // The key is h1 · 2^21 + (h2 mod 2^21): mix both halves into the index.
    const high = Math.floor(key / 2097152);
    let i = (Math.imul(high ^ (key - high * 2097152), 0x9e3779b1) >>> 0) & this.mask;
    while (this.sources[i] !== -1 && this.keys[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  /** The slot holding the first window with this key, or -1 when none has it. */
  find(key: number): number {
    const i = this.slot(key);
    return this.sources[i] === -1 ? -1 : i;
  }

  sourceAt(slot: number): number {
    return this.sources[slot] as number;
  }

  positionAt(slot: number): number {
    return this.positions[slot] as number;
  }

  /** Remembers the first window with `key` (a key seen before keeps its first window). */
  add(key: number, source: number, position: number): void {
    const i = this.slot(key);
    if (this.sources[i] !== -1) return;
    this.keys[i] = key;
    this.sources[i] = source;
    this.positions[i] = position;
  }
}

/**
 * Finds exact token clones the way jscpd 4 does (Rabin–Karp over windows of `minTokens` tokens):
 * files are taken in order; a window seen before opens a clone, which grows while the following
 * windows were also seen before; it is kept when it spans at least `minLines` lines. A window's
 * first occurrence is the one remembered, so every later copy pairs with the first.
 */
export function findClones(sources: readonly CloneSource[], minTokens = CLONE_MIN_TOKENS, minLines = CLONE_MIN_LINES): Clone[] {
  const clones: Clone[] = [];
  // Every source's keys first: a numbering that starts over makes all kept keys stale at once.
  let keysOf = sources.map((s) => currentKeys(s.tokens, s.keys, minTokens));
  if (keysOf.some((k) => k.generation !== generation)) keysOf = sources.map((s) => windowKeys(s.tokens, minTokens));
  const stores = new Map<string, FirstSeen>();
  const windowsPerGroup = new Map<string, number>();
  for (const [si, src] of sources.entries()) windowsPerGroup.set(src.group, (windowsPerGroup.get(src.group) ?? 0) + (keysOf[si] as WindowKeys).keys.length);
  const lineIndexes: Array<LineIndex | undefined> = [];
  const linesOf = (si: number): LineIndex => (lineIndexes[si] ??= new LineIndex(sources[si]?.text ?? ''));
  sources.forEach((src, si) => {
    const keys = (keysOf[si] as WindowKeys).keys;
    let store = stores.get(src.group);
    if (!store) {
      store = new FirstSeen(windowsPerGroup.get(src.group) ?? keys.length);
      stores.set(src.group, store);
    }
    const toks = src.tokens;
    let open: { aStart: number; aEnd: number; bSource: number; bStart: number; bEnd: number } | undefined;
    const close = (): void => {
      if (!open) return;
      const a = toks[open.aStart];
      const ae = toks[open.aEnd];
      const bSrc = sources[open.bSource];
      const bToks = bSrc?.tokens;
      const b = bToks?.[open.bStart];
      const be = bToks?.[open.bEnd];
      if (a && ae && b && be && bSrc) {
        const lines = linesOf(si);
        const aStartLine = lines.lineOf(a.start) + 1;
        const aEndLine = lines.endLineOf(ae.start, ae.end) + 1;
        if (aEndLine - aStartLine >= minLines) {
          const bLines = linesOf(open.bSource);
          clones.push({
            a: { file: src.file, startLine: aStartLine, endLine: aEndLine },
            b: { file: bSrc.file, startLine: bLines.lineOf(b.start) + 1, endLine: bLines.endLineOf(be.start, be.end) + 1 },
            tokens: open.aEnd - open.aStart,
            lines: aEndLine - aStartLine,
          });
        }
      }
      open = undefined;
    };
    for (let pos = 0; pos < keys.length; pos++) {
      const key = keys[pos] as number;
      const found = store.find(key);
      if (found >= 0) {
        const seen = store.sourceAt(found);
        const seenPos = store.positionAt(found);
        if (!open) open = { aStart: pos, aEnd: pos + minTokens, bSource: seen, bStart: seenPos, bEnd: seenPos + minTokens };
        else {
          open.aEnd = pos + minTokens;
          if (seen === open.bSource) open.bEnd = Math.max(open.bEnd, seenPos + minTokens);
        }
      } else {
        close();
        store.add(key, si, pos);
      }
    }
    close();
  });
  return clones;
}
