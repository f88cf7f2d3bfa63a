import type { PatternName } from '../engine/index';

/** The languages the detectors understand, each through its own tree-sitter grammar. */
export const LANGUAGES = ['typescript', 'tsx', 'javascript', 'python', 'go', 'java', 'rust'] as const;
export type LanguageId = (typeof LANGUAGES)[number];

/** One place where a pattern shows. Lines are 1-based and inclusive. */
export interface Finding {
  pattern: PatternName;
  file: string;
  startLine: number;
  endLine: number;
  /** How strongly the place shows the pattern, 0–1 (e.g. how far a metric is past its threshold). */
  strength: number;
  /** Why, in words a person can check: "cognitive complexity 23 > 15". */
  message: string;
}

/** A finding before it knows its file; lines relative to whatever it was computed against. */
export type LocalFinding = Omit<Finding, 'file'>;

/** Why a file was analysed only partly or not at all. */
export type SkipReason = 'binary' | 'too-large' | 'minified' | 'parse-timeout' | 'unsupported-language';

/** Everything known about one file after analysis. */
export interface FileReport {
  file: string;
  language: LanguageId;
  lines: number;
  findings: Finding[];
  /** Set when the file was not (fully) analysed; findings are then empty or partial. */
  skipped?: SkipReason;
  /** True when the parse tree had syntax errors; findings cover the sound parts. */
  hasErrors: boolean;
}

/** Where the tracker reports a failing detector or a skipped file. */
export interface PatternLogger {
  warn: (message: string) => void;
  error: (message: string, error?: unknown) => void;
}
