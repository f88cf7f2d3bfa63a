import { PATTERNS } from '../engine/index';
import type { PatternProfile } from '../engine/index';
import type { FileAnalysis } from './analyzer';
import { analyzeText, sortFindings } from './analyzer';
import { languageOfPath } from './languages';
import { ParserHost } from './parser';
import { crossFileFindings } from './project';
import type { FileReport, LanguageId } from './types';

/** One file to analyse: its name (used for language, import resolution and reports) and text. */
export interface BatchInput {
  file: string;
  text: string;
  /** Overrides the language the file name implies. */
  language?: LanguageId;
}

/** Reports for a set of files analysed together, and their pattern profile (findings per kLOC). */
export interface BatchResult {
  files: FileReport[];
  profile: PatternProfile;
  /** Detector failures, one line each; the other detectors still ran. */
  failures: string[];
}

/** Analyses a set of files in full, single-file and cross-file detectors alike. */
export async function analyzeFiles(inputs: readonly BatchInput[], host: ParserHost = new ParserHost()): Promise<BatchResult> {
  const analyses: FileAnalysis[] = [];
  const failures: string[] = [];
  for (const input of inputs) {
    const language = input.language ?? languageOfPath(input.file);
    if (!language) continue;
    await host.ready(language);
    const a = analyzeText(host, input.file, language, input.text);
    for (const f of a.failures) failures.push(`${input.file}: ${f}`);
    analyses.push(a);
  }
  const cross = crossFileFindings(analyses);
  const files: FileReport[] = analyses.map((a) => {
    const findings = [...a.findings, ...(cross.get(a.file) ?? [])];
    sortFindings(findings);
    return { file: a.file, language: a.language, lines: a.lines, findings, hasErrors: a.hasErrors, ...(a.skipped ? { skipped: a.skipped } : {}) };
  });
  const kloc = files.filter((f) => !f.skipped).reduce((s, f) => s + f.lines, 0) / 1000;
  const profile: PatternProfile = {};
  if (kloc > 0) {
    for (const p of PATTERNS) {
      const n = files.reduce((s, f) => s + f.findings.filter((x) => x.pattern === p).length, 0);
      if (n > 0) profile[p] = Math.round((n / kloc) * 1000) / 1000;
    }
  }
  return { files, profile, failures };
}
