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

interface Frame {
  source: number;
  pos: number;
}

/**
 * Finds exact token clones the way jscpd 4 does (Rabin–Karp over windows of `minTokens` tokens):
 * files are taken in order; a window seen before opens a clone, which grows while the following
 * windows were also seen before; it is kept when it spans at least `minLines` lines. A window's
 * first occurrence is the one remembered, so every later copy pairs with the first.
 */
export function findClones(sources: readonly CloneSource[], minTokens = CLONE_MIN_TOKENS, minLines = CLONE_MIN_LINES): Clone[] {
  const clones: Clone[] = [];
  const ids = new Map<string, number>();
  const h1s: number[] = [];
  const h2s: number[] = [];
  const idOf = (v: string): number => {
    let id = ids.get(v);
    if (id === undefined) {
      id = ids.size + 1;
      ids.set(v, id);
    }
    return id;
  };
  const top1 = powMod(B1, minTokens - 1, M1);
  const top2 = powMod(B2, minTokens - 1, M2);
  const stores = new Map<string, Map<number, Frame>>();
  const lineIndexes = sources.map((s) => new LineIndex(s.text));
  sources.forEach((src, si) => {
    let store = stores.get(src.group);
    if (!store) {
      store = new Map();
      stores.set(src.group, store);
    }
    const toks = src.tokens;
    const n = toks.length;
    if (n <= minTokens) return;
    const idsOfFile = toks.map((t) => idOf(t.value));
    h1s.length = 0;
    h2s.length = 0;
    let h1 = 0;
    let h2 = 0;
    for (let k = 0; k < minTokens; k++) {
      h1 = (h1 * B1 + (idsOfFile[k] ?? 0)) % M1;
      h2 = (h2 * B2 + (idsOfFile[k] ?? 0)) % M2;
    }
    let open: { aStart: number; aEnd: number; bSource: number; bStart: number; bEnd: number } | undefined;
    const lines = lineIndexes[si] ?? new LineIndex(src.text);
    const close = (): void => {
      if (!open) return;
      const a = toks[open.aStart];
      const ae = toks[open.aEnd];
      const bSrc = sources[open.bSource];
      const bToks = bSrc?.tokens;
      const b = bToks?.[open.bStart];
      const be = bToks?.[open.bEnd];
      const bLines = lineIndexes[open.bSource];
      if (a && ae && b && be && bSrc && bLines) {
        const aStartLine = lines.lineOf(a.start) + 1;
        const aEndLine = lines.endLineOf(ae.start, ae.end) + 1;
        if (aEndLine - aStartLine >= minLines) {
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
    // jscpd stops one window short of the end (position < tokens - minTokens); so does this.
    for (let pos = 0; pos < n - minTokens; pos++) {
      if (pos > 0) {
        const out = idsOfFile[pos - 1] ?? 0;
        const inn = idsOfFile[pos + minTokens - 1] ?? 0;
        h1 = (((h1 - ((out * top1) % M1) + M1) % M1) * B1 + inn) % M1;
        h2 = (((h2 - ((out * top2) % M2) + M2) % M2) * B2 + inn) % M2;
      }
      // 31 bits of one hash and 21 of the other: one exact number, no string per window.
      const key = h1 * 2097152 + (h2 % 2097152);
      const seen = store.get(key);
      if (seen) {
        if (!open) open = { aStart: pos, aEnd: pos + minTokens, bSource: seen.source, bStart: seen.pos, bEnd: seen.pos + minTokens };
        else {
          open.aEnd = pos + minTokens;
          if (seen.source === open.bSource) open.bEnd = Math.max(open.bEnd, seen.pos + minTokens);
        }
      } else {
        close();
        store.set(key, { source: si, pos });
      }
    }
    close();
  });
  return clones;
}
