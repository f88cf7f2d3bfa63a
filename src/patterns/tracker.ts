import { PATTERNS } from '../engine/index';
import type { PatternName, PatternProfile } from '../engine/index';
import type { FileAnalysis, TextChange } from './analyzer';
import { FileState, sortFindings } from './analyzer';
import { languageOfEditorId, languageOfPath } from './languages';
import { ParserHost } from './parser';
import { crossFileFindings } from './project';
import type { FileReport, Finding, LanguageId, PatternLogger } from './types';

/** How the tracker is set up; every field has a default except the clock. */
export interface PatternTrackerOptions {
  /** Milliseconds, monotonic or wall clock; the tracker never reads a clock of its own. */
  now: () => number;
  /** At most this many files are kept; the least recently edited is dropped first. Default 200. */
  maxFiles?: number;
  /** An edit's weight in the profile halves after this long. Default 30 minutes. */
  halfLifeMs?: number;
  /** Where failing detectors, unloadable grammars and skipped files are reported. */
  logger?: PatternLogger;
  /** Parser host; tests and hosts that bundle the wasm elsewhere pass their own. */
  host?: ParserHost;
}

/** The function (if any) at a line, with the findings that concern it: what a hover shows. */
export interface FindingsAtLine {
  function: { name: string | undefined; startLine: number; endLine: number; cognitive: number; depth: number } | undefined;
  findings: Finding[];
}

interface Tracked {
  state: FileState;
  lastEdit: number;
  failures: string;
}

const SILENT: PatternLogger = { warn: () => undefined, error: () => undefined };

/**
 * The session's pattern state. Feed it edits (`update`), tell it when a file is saved or the
 * editor is idle (cross-file detectors: clones, import graph), and read findings, hover
 * details and the decayed session profile. Grammars load on the first edit of a language.
 */
export class PatternTracker {
  private readonly files = new Map<string, Tracked>();
  private cross = new Map<string, Finding[]>();
  private crossDirty = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly host: ParserHost;
  private readonly logger: PatternLogger;
  private readonly maxFiles: number;
  private readonly halfLifeMs: number;

  constructor(private readonly options: PatternTrackerOptions) {
    this.host = options.host ?? new ParserHost();
    this.logger = options.logger ?? SILENT;
    this.maxFiles = Math.max(1, options.maxFiles ?? 200);
    this.halfLifeMs = Math.max(1, options.halfLifeMs ?? 30 * 60_000);
  }

  /** The grammar a VS Code language id (or, failing that, the file name) maps to. */
  static languageFor(uri: string, languageId: string): LanguageId | undefined {
    return languageOfEditorId(languageId) ?? languageOfPath(uri);
  }

  /**
   * Takes a document's full text or the changes of one edit event (applied in order). Resolves
   * with the file's report, or undefined for an unsupported language or changes to a document
   * the tracker has not seen in full. Calls are applied in the order they are made.
   */
  update(uri: string, languageId: string, content: string | readonly TextChange[]): Promise<FileReport | undefined> {
    const run = this.queue.then(() => this.apply(uri, languageId, content));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs the cross-file detectors now (call on save). */
  save(_uri?: string): void {
    this.runCrossFile();
  }

  /** Runs the cross-file detectors if anything changed since they last ran (call when idle). */
  idle(): boolean {
    if (!this.crossDirty) return false;
    this.runCrossFile();
    return true;
  }

  /** Resolves once every update made so far has been applied. */
  settled(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** Every finding for a file: single-file ones as of the last edit, cross-file ones as of the last save or idle. */
  findings(uri: string): Finding[] {
    const t = this.files.get(uri);
    if (!t) return [];
    const all = [...t.state.analysis.findings, ...(this.cross.get(uri) ?? [])];
    sortFindings(all);
    return all;
  }

  /** The report for one file. */
  report(uri: string): FileReport | undefined {
    const t = this.files.get(uri);
    if (!t) return undefined;
    const a = t.state.analysis;
    return { file: uri, language: a.language, lines: a.lines, findings: this.findings(uri), hasErrors: a.hasErrors, ...(a.skipped ? { skipped: a.skipped } : {}) };
  }

  /** For a hover: the innermost function containing `line` (1-based) and the findings overlapping it. */
  findingsAt(uri: string, line: number): FindingsAtLine {
    const t = this.files.get(uri);
    if (!t) return { function: undefined, findings: [] };
    let best: FindingsAtLine['function'];
    for (const f of t.state.analysis.functions) {
      if (f.startLine <= line && f.endLine >= line && (!best || f.endLine - f.startLine < best.endLine - best.startLine)) best = { name: f.name, startLine: f.startLine, endLine: f.endLine, cognitive: f.cognitive, depth: f.depth };
    }
    const from = best?.startLine ?? line;
    const to = best?.endLine ?? line;
    const findings = this.findings(uri).filter((f) => (best ? f.startLine <= to && f.endLine >= from && f.startLine >= from : f.startLine <= line && f.endLine >= line));
    return { function: best, findings };
  }

  /**
   * The session profile: for each pattern, findings per thousand lines over the tracked files,
   * each file weighted by 0.5^(age of its last edit / half-life).
   */
  profile(now: number = this.options.now()): PatternProfile {
    const counts = new Map<PatternName, number>();
    let weightedLines = 0;
    for (const [uri, t] of this.files) {
      const a = t.state.analysis;
      if (a.skipped) continue;
      const w = Math.pow(0.5, Math.max(0, now - t.lastEdit) / this.halfLifeMs);
      weightedLines += (w * a.lines) / 1000;
      for (const f of this.findings(uri)) counts.set(f.pattern, (counts.get(f.pattern) ?? 0) + w);
    }
    const out: PatternProfile = {};
    if (weightedLines <= 0) return out;
    for (const p of PATTERNS) {
      const c = counts.get(p);
      if (c) out[p] = Math.round((c / weightedLines) * 1000) / 1000;
    }
    return out;
  }

  /** Files currently tracked, least recently edited first. */
  trackedFiles(): string[] {
    return [...this.files.keys()];
  }

  /** Stops tracking a file (closed, deleted). */
  forget(uri: string): void {
    const t = this.files.get(uri);
    if (!t) return;
    t.state.dispose();
    this.files.delete(uri);
    this.cross.delete(uri);
    this.crossDirty = true;
  }

  dispose(): void {
    for (const uri of [...this.files.keys()]) this.forget(uri);
  }

  private async apply(uri: string, languageId: string, content: string | readonly TextChange[]): Promise<FileReport | undefined> {
    const language = PatternTracker.languageFor(uri, languageId);
    if (!language) return undefined;
    try {
      await this.host.ready(language);
    } catch (err) {
      this.logger.error(`patterns: could not load the ${language} grammar`, err);
      return undefined;
    }
    let t = this.files.get(uri);
    if (t && t.state.language !== language) {
      this.forget(uri);
      t = undefined;
    }
    if (typeof content !== 'string' && !t) {
      this.logger.warn(`patterns: changes for ${uri} arrived before its full text; ignored until the next full update`);
      return undefined;
    }
    if (!t) {
      t = { state: new FileState(uri, language, this.host), lastEdit: this.options.now(), failures: '' };
    }
    this.files.delete(uri);
    this.files.set(uri, t);
    t.lastEdit = this.options.now();
    let analysis: FileAnalysis;
    try {
      analysis = typeof content === 'string' ? t.state.setText(content) : t.state.applyChanges(content);
    } catch (err) {
      this.logger.error(`patterns: analysis of ${uri} failed`, err);
      return this.report(uri);
    }
    const failures = analysis.failures.join('\n');
    if (failures && failures !== t.failures) this.logger.error(`patterns: detectors failed in ${uri}: ${failures}`);
    t.failures = failures;
    if (analysis.skipped && analysis.skipped !== this.report(uri)?.skipped) this.logger.warn(`patterns: ${uri} not analysed (${analysis.skipped})`);
    this.crossDirty = true;
    this.evict();
    return this.report(uri);
  }

  private evict(): void {
    while (this.files.size > this.maxFiles) {
      const oldest = this.files.keys().next().value;
      if (oldest === undefined) break;
      this.forget(oldest);
    }
  }

  private runCrossFile(): void {
    try {
      this.cross = crossFileFindings([...this.files.values()].map((t) => t.state.analysis));
    } catch (err) {
      this.logger.error('patterns: cross-file detectors failed', err);
    }
    this.crossDirty = false;
  }
}
