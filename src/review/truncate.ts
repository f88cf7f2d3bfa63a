import type { ChangedRange } from './types';

/** An excerpt of the code, cut at line boundaries. Line numbers are 0-based and inclusive. */
export interface Excerpt {
  text: string;
  startLine: number;
  endLine: number;
  totalLines: number;
  /** True when lines were left out (or, rarely, one over-long line was cut). */
  truncated: boolean;
}

/**
 * Cuts `code` to at most `maxChars` characters at line boundaries. With a changed range the
 * excerpt starts from the changed lines and grows one line above and one below in turn, so
 * the reviewer sees the change with as much context as fits; without one it keeps the top.
 * Only a single line longer than `maxChars` is cut mid-line, since nothing smaller exists.
 */
export function excerpt(code: string, maxChars: number, changed?: ChangedRange): Excerpt {
  const lines = code.split('\n');
  const total = lines.length;
  if (code.length <= maxChars) return { text: code, startLine: 0, endLine: total - 1, truncated: false, totalLines: total };

  const clampLine = (n: number): number => Math.min(total - 1, Math.max(0, Math.trunc(n)));
  let first = changed ? clampLine(Math.min(changed.startLine, changed.endLine)) : 0;
  const changedEnd = changed ? clampLine(Math.max(changed.startLine, changed.endLine)) : 0;
  const len = (i: number): number => (lines[i] ?? '').length;

  if (len(first) > maxChars) {
    return { text: (lines[first] ?? '').slice(0, maxChars), startLine: first, endLine: first, truncated: true, totalLines: total };
  }
  let last = first;
  let size = len(first);
  // The changed lines first, from the top of the change down, as far as they fit.
  while (last < changedEnd && size + 1 + len(last + 1) <= maxChars) size += 1 + len(++last);
  // Then context, alternating below and above, so the change stays in the middle.
  let below = true;
  let blockedBelow = false;
  let blockedAbove = false;
  while (!(blockedBelow && blockedAbove)) {
    if (below && !blockedBelow) {
      if (last + 1 < total && size + 1 + len(last + 1) <= maxChars) size += 1 + len(++last);
      else blockedBelow = true;
    } else if (!below && !blockedAbove) {
      if (first > 0 && size + 1 + len(first - 1) <= maxChars) size += 1 + len(--first);
      else blockedAbove = true;
    }
    below = !below;
  }
  return {
    text: lines.slice(first, last + 1).join('\n'),
    startLine: first,
    endLine: last,
    truncated: first > 0 || last < total - 1,
    totalLines: total,
  };
}
