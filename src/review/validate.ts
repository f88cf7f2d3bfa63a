import { PATTERNS } from '../engine';
import type { PatternName } from '../engine';
import { REVIEW_TOOL_NAME } from './prompt';
import { ReviewError } from './types';
import type { CodeQuality, CodeReview } from './types';

/** A validated review and what validation had to change to get it. */
export interface Validated {
  review: CodeReview;
  /** Human-readable notes: values clamped, patterns dropped. Empty for a clean answer. */
  adjustments: string[];
}

const MAX_REASONS = 8;
const MAX_REASON_CHARS = 400;
const KNOWN = new Set<string>(PATTERNS);
const QUALITY_FIELDS = ['readability', 'maintainability', 'testability', 'security'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const malformed = (what: string): ReviewError => new ReviewError('malformed', `malformed review answer: ${what}`);

/** A 0–100 score: numbers outside are clamped, fractions rounded; anything not a number is malformed. */
function scoreOf(value: unknown, field: string, adjustments: string[]): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw malformed(`${field} is ${value === undefined ? 'missing' : JSON.stringify(value)}, expected a number 0-100`);
  }
  const clamped = Math.min(100, Math.max(0, Math.round(value)));
  if (clamped !== Math.round(value)) adjustments.push(`${field} ${value} clamped to ${clamped}`);
  return clamped;
}

/**
 * Turns the forced tool call's input into a {@link CodeReview}. Out-of-range numbers are
 * clamped and unknown patterns dropped (both noted in `adjustments`); a missing field or a
 * value of the wrong type is a {@link ReviewError} of kind `malformed`, never a score.
 */
export function validateReviewInput(input: unknown): Validated {
  if (!isRecord(input)) throw malformed(`tool input is ${Array.isArray(input) ? 'an array' : typeof input}, expected an object`);
  const adjustments: string[] = [];
  const robustness = scoreOf(input['robustness'], 'robustness', adjustments);

  const cq = input['codeQuality'];
  if (!isRecord(cq)) throw malformed(`codeQuality is ${cq === undefined ? 'missing' : JSON.stringify(cq)}, expected an object`);
  const codeQuality = {} as CodeQuality;
  for (const f of QUALITY_FIELDS) codeQuality[f] = scoreOf(cq[f], `codeQuality.${f}`, adjustments);

  const rawPatterns = input['patterns'];
  if (!Array.isArray(rawPatterns)) throw malformed(`patterns is ${rawPatterns === undefined ? 'missing' : JSON.stringify(rawPatterns)}, expected an array`);
  const found = new Set<PatternName>();
  for (const p of rawPatterns as unknown[]) {
    const name = typeof p === 'string' ? p.trim().toUpperCase().replace(/[\s-]+/g, '_') : undefined;
    if (name !== undefined && KNOWN.has(name)) found.add(name as PatternName);
    else adjustments.push(`unknown pattern ${JSON.stringify(p)} dropped`);
  }

  const rawReasons = input['reasoning'];
  if (!Array.isArray(rawReasons) || !(rawReasons as unknown[]).every((r) => typeof r === 'string')) {
    throw malformed(`reasoning is ${rawReasons === undefined ? 'missing' : JSON.stringify(rawReasons)}, expected an array of strings`);
  }
  const reasoning = (rawReasons as string[])
    .map((r) => r.trim())
    .filter((r) => r !== '')
    .slice(0, MAX_REASONS)
    .map((r) => (r.length > MAX_REASON_CHARS ? `${r.slice(0, MAX_REASON_CHARS - 1)}…` : r));

  return {
    review: { robustness, patterns: PATTERNS.filter((p) => found.has(p)), codeQuality, reasoning },
    adjustments,
  };
}

/** The parts of a Messages API answer validation looks at. */
export interface MessageLike {
  content?: unknown;
  stop_reason?: unknown;
}

/** Finds the forced tool call in a Messages API answer and validates its input. */
export function reviewFromMessage(message: MessageLike): Validated {
  if (!Array.isArray(message.content)) throw malformed('the answer has no content list');
  const call = (message.content as unknown[]).find((b) => isRecord(b) && b['type'] === 'tool_use' && b['name'] === REVIEW_TOOL_NAME);
  if (!isRecord(call)) {
    const stop = typeof message.stop_reason === 'string' ? ` (stop_reason ${message.stop_reason})` : '';
    throw malformed(`no ${REVIEW_TOOL_NAME} tool call in the answer${stop}`);
  }
  return validateReviewInput(call['input']);
}
