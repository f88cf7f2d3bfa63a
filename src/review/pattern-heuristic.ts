import { PATTERNS } from '../engine';
import type { PatternName } from '../engine';
import { analyzeFiles, languageOfPath } from '../patterns';
import type { Finding } from '../patterns';
import { basicHeuristic } from './heuristic';
import type { HeuristicReviewer } from './heuristic';
import type { CodeReview } from './types';

/**
 * Points each finding costs (anti-patterns) or earns (positive patterns), scaled by how strong
 * the finding is, and the most a pattern can move a figure in all. Swallowed errors and
 * unchecked input hurt robustness most because they are how code fails in production; repeated
 * blocks and home-made optimisation mostly cost maintainability.
 */
const EFFECT: Record<PatternName, { robustness: number; cap: number; area: 'readability' | 'maintainability' | 'testability' | 'security' }> = {
  ERROR_SWALLOWING: { robustness: -8, cap: 30, area: 'security' },
  INSUFFICIENT_VALIDATION: { robustness: -8, cap: 25, area: 'security' },
  LOGIC_SPIRAL: { robustness: -5, cap: 20, area: 'readability' },
  TIGHT_COUPLING: { robustness: -4, cap: 12, area: 'testability' },
  REPEATED_SIMILAR_BLOCKS: { robustness: -3, cap: 15, area: 'maintainability' },
  PREMATURE_OPTIMIZATION: { robustness: -2, cap: 8, area: 'readability' },
  ROBUST_ERROR_HANDLING: { robustness: 5, cap: 10, area: 'security' },
  IDEMPOTENT_OPERATIONS: { robustness: 3, cap: 6, area: 'maintainability' },
  SELF_DOCUMENTING: { robustness: 2, cap: 6, area: 'readability' },
  CLEAN_ARCHITECTURE: { robustness: 2, cap: 6, area: 'testability' },
  HARMONIC_DESIGN: { robustness: 2, cap: 6, area: 'maintainability' },
};

/** Where the estimate starts before any finding: unremarkable code. */
const NEUTRAL = 70;
const MAX_REASONS = 6;

const clampScore = (n: number): number => Math.min(100, Math.max(0, Math.round(n)));

/** Turns the detectors' findings on one file into the design's review shape. */
export function reviewFromFindings(findings: readonly Finding[]): CodeReview {
  const moved = new Map<PatternName, number>();
  for (const f of findings) {
    const e = EFFECT[f.pattern];
    const step = e.robustness * (0.5 + 0.5 * f.strength);
    const total = (moved.get(f.pattern) ?? 0) + step;
    moved.set(f.pattern, Math.sign(total) * Math.min(Math.abs(total), e.cap));
  }
  const area = { readability: 0, maintainability: 0, testability: 0, security: 0 };
  let robustness = NEUTRAL;
  for (const [p, v] of moved) {
    robustness += v;
    area[EFFECT[p].area] += v;
  }
  const anti = [...moved.values()].filter((v) => v < 0).reduce((s, v) => s + v, 0);
  const reasoning = [...findings]
    .sort((a, b) => EFFECT[a.pattern].robustness - EFFECT[b.pattern].robustness || a.startLine - b.startLine)
    .slice(0, MAX_REASONS)
    .map((f) => `${f.pattern} at lines ${f.startLine}–${f.endLine}: ${f.message}.`);
  if (findings.length > MAX_REASONS) reasoning.push(`…and ${findings.length - MAX_REASONS} more finding(s).`);
  if (findings.length === 0) reasoning.push('The pattern detectors found none of the eleven patterns.');
  reasoning.push('Estimated locally by the pattern detectors from the parse tree; no model reviewed this code.');
  return {
    robustness: clampScore(robustness),
    patterns: PATTERNS.filter((p) => moved.has(p)),
    codeQuality: {
      readability: clampScore(NEUTRAL + 5 + area.readability + anti / 4),
      maintainability: clampScore(NEUTRAL + 5 + area.maintainability + anti / 4),
      testability: clampScore(NEUTRAL + 5 + area.testability + anti / 4),
      security: clampScore(NEUTRAL + 5 + area.security),
    },
    reasoning,
  };
}

/** The part of the pattern detectors (`src/patterns`) the local review uses. */
export interface PatternDetectors {
  analyzeFiles: typeof analyzeFiles;
  languageOfPath: typeof languageOfPath;
}

/**
 * The pattern-based local review over detectors obtained from `load`, called on the first
 * review: the extension passes its lazily loaded detector bundle, so loading the extension
 * never loads the parsers.
 */
export function patternHeuristicFrom(load: () => PatternDetectors): HeuristicReviewer {
  return {
    name: 'pattern detectors',
    async review(code: string, file?: string): Promise<CodeReview> {
      const detectors = load();
      const name = file ?? 'code.ts';
      if (!detectors.languageOfPath(name)) return basicHeuristic.review(code, file);
      const { files } = await detectors.analyzeFiles([{ file: name, text: code }]);
      const report = files[0];
      if (!report || report.skipped) return basicHeuristic.review(code, file);
      return reviewFromFindings(report.findings);
    },
  };
}

/**
 * The local review used when Claude is not available: the session pattern detectors run on the
 * file, and their findings become the estimate. Files in a language the detectors do not parse
 * get the basic text checks.
 */
export const patternHeuristic: HeuristicReviewer = /* @__PURE__ */ patternHeuristicFrom(() => ({ analyzeFiles, languageOfPath }));
