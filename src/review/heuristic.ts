import { PATTERNS } from '../engine';
import type { PatternName } from '../engine';
import type { CodeReview } from './types';

/**
 * A local review, made without calling any service: the fallback when there is no key or the
 * call fails. Injected into the CLI so that the session pattern detectors (src/patterns) can
 * provide it once they exist.
 */
export interface HeuristicReviewer {
  /** Short name shown with the estimate. */
  readonly name: string;
  /** May be asynchronous: the pattern detectors load their parsers on first use. */
  review(code: string, file?: string): CodeReview | Promise<CodeReview>;
}

const clampScore = (n: number): number => Math.min(100, Math.max(0, Math.round(n)));

/** A heuristic that answers at once. */
export interface SyncHeuristicReviewer extends HeuristicReviewer {
  review(code: string, file?: string): CodeReview;
}

/**
 * A deliberately small estimate from three signals any language shows: empty `catch`/`except`
 * blocks, nesting depth, and checks on input. It says what it measured in `reasoning`; it is a
 * stand-in until the pattern detectors provide the heuristic, not a review.
 */
export const basicHeuristic: SyncHeuristicReviewer = {
  name: 'basic local checks',
  review(code: string): CodeReview {
    const lines = code.split('\n');
    const nonBlank = lines.filter((l) => l.trim() !== '').length || 1;
    const patterns = new Set<PatternName>();
    const reasoning: string[] = [];

    const emptyCatches = (code.match(/catch\s*(?:\([^)]*\))?\s*\{\s*\}|except[^:\n]*:\s*\n\s*pass\b/g) ?? []).length;
    const handled = (code.match(/\bcatch\b|\bexcept\b/g) ?? []).length - emptyCatches;
    const throws = (code.match(/\bthrow\b|\braise\b/g) ?? []).length;
    if (emptyCatches > 0) {
      patterns.add('ERROR_SWALLOWING');
      reasoning.push(`${emptyCatches} empty catch/except block(s) swallow errors.`);
    } else if (handled > 0 && throws > 0) {
      patterns.add('ROBUST_ERROR_HANDLING');
      reasoning.push(`Errors are caught (${handled}) and raised (${throws}) explicitly.`);
    }

    let depth = 0;
    let maxDepth = 0;
    for (const ch of code) {
      if (ch === '{') maxDepth = Math.max(maxDepth, ++depth);
      else if (ch === '}') depth = Math.max(0, depth - 1);
    }
    const indentDepth = Math.max(0, ...lines.map((l) => Math.floor((/^[ \t]*/.exec(l)?.[0].replace(/\t/g, '    ').length ?? 0) / 4)));
    const nesting = Math.max(maxDepth, indentDepth);
    if (nesting >= 5) {
      patterns.add('LOGIC_SPIRAL');
      reasoning.push(`Nesting reaches depth ${nesting}.`);
    }

    const checks = (code.match(/\bif\s*\(?\s*!|\bthrow new \w*Error|\bassert\b|\bvalidate\w*\(|typeof\s+\w+\s*[!=]==/g) ?? []).length;
    // Checks per thousand lines, scaled so that one check every ten lines earns the full bonus.
    const checkBonus = Math.min(20, (1000 * checks) / nonBlank / 5);

    const robustness = clampScore(60 + checkBonus + (patterns.has('ROBUST_ERROR_HANDLING') ? 10 : 0) - 15 * Math.min(emptyCatches, 2) - (nesting >= 5 ? 10 : 0));
    const readability = clampScore(75 - Math.max(0, nesting - 3) * 8);
    reasoning.push('Estimated locally from simple text checks (empty catch blocks, nesting depth, input checks); no model reviewed this code.');
    return {
      robustness,
      patterns: PATTERNS.filter((p) => patterns.has(p)),
      codeQuality: {
        readability,
        maintainability: clampScore((readability + robustness) / 2),
        testability: clampScore(70 - Math.max(0, nesting - 3) * 5),
        security: clampScore(60 + checkBonus),
      },
      reasoning,
    };
  },
};
