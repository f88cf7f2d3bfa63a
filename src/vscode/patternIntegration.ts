import { createRequire } from 'node:module';
import path from 'node:path';
import type * as vscode from 'vscode';
import type { PatternName, PatternProfile } from '../engine';
import type * as Patterns from '../patterns';
import type { Finding, PatternTracker } from '../patterns';
import type { PatternSummary } from '../../webview/protocol';
import { Disposable, Emitter } from './lifecycle';
import type { PatternFinding, PatternSource } from './seams';

/** Places listed per pattern in the panel. */
const MAX_PLACES = 5;

/** When edits pause this long, the cross-file detectors (clones, import graph) run, as on save. */
export const IDLE_MS = 2000;
/**
 * ...but only while the tracked files hold at most this many lines: those detectors run
 * synchronously over every tracked file. On a 98,000-line corpus a pass takes about 50 ms when
 * only edited files need their tokens again (each file keeps its tokens and window keys while
 * its text is unchanged), and about 330 ms when every file does, as on the first pass; above
 * this size they wait for a save.
 */
export const MAX_IDLE_LINES = 100_000;

export interface PatternIntegrationOptions {
  idleMs?: number;
  maxIdleLines?: number;
}

type PatternsModule = typeof Patterns;

/**
 * The detectors (web-tree-sitter and seven grammars) are their own bundle, `dist/patterns.js`,
 * required on the first analysed edit: loading the extension never parses them.
 */
export function loadPatternsBundle(dir: string = __dirname): PatternsModule {
  return createRequire(path.join(dir, 'extension.js'))(path.join(dir, 'patterns.js')) as PatternsModule;
}

/**
 * The extension's side of pattern detection (`src/patterns`): one `PatternTracker` for the
 * window, fed by the edit tracker. The tracker counts lines from 1; the editor (and the seam)
 * from 0, so every line is converted here.
 */
export class PatternIntegration extends Disposable implements PatternSource {
  private loaded: { tracker: PatternTracker; module: PatternsModule } | undefined;
  private failed = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = this.register(new Emitter<void>());
  /** Fires after each analysed edit, save, idle run of the cross-file detectors or forgotten file. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly load: () => PatternsModule = loadPatternsBundle,
    private readonly options: PatternIntegrationOptions = {},
  ) {
    super();
    this.register({
      dispose: () => {
        clearTimeout(this.idleTimer);
        this.loaded?.tracker.dispose();
      },
    });
  }

  /** The tracker, once something was analysed; undefined before (nothing to report yet). */
  private get tracker(): PatternTracker | undefined {
    return this.loaded?.tracker;
  }

  private ensure(): { tracker: PatternTracker; module: PatternsModule } | undefined {
    if (this.loaded || this.failed) return this.loaded;
    try {
      const module = this.load();
      const tracker = new module.PatternTracker({ now: Date.now, logger: { warn: (m) => this.log.warn(`patterns: ${m}`), error: (m) => this.log.error(`patterns: ${m}`) } });
      this.loaded = { tracker, module };
    } catch (err) {
      this.failed = true;
      this.log.error(`pattern detection could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
    }
    return this.loaded;
  }

  update(uri: string, languageId: string, text: string): void {
    const p = this.ensure();
    if (!p || !p.module.PatternTracker.languageFor(uri, languageId)) return;
    p.tracker.update(uri, languageId, text).then(
      () => {
        this.changed.fire();
        this.scheduleIdle();
      },
      (err: unknown) => this.log.error(`patterns: analysing ${uri} failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  save(_uri: string): void {
    if (!this.tracker) return;
    clearTimeout(this.idleTimer);
    this.tracker.save();
    this.changed.fire();
  }

  /** (Re)starts the wait after which the cross-file detectors run if the edits stay paused. */
  private scheduleIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.runIdle(), this.options.idleMs ?? IDLE_MS);
  }

  private runIdle(): void {
    const tracker = this.tracker;
    if (!tracker) return;
    const max = this.options.maxIdleLines ?? MAX_IDLE_LINES;
    const lines = tracker.trackedFiles().reduce((n, uri) => n + (tracker.report(uri)?.lines ?? 0), 0);
    if (lines > max) {
      this.log.debug(`patterns: cross-file detectors wait for a save (${lines} tracked lines > ${max})`);
      return;
    }
    if (tracker.idle()) this.changed.fire();
  }

  forget(uri: string): void {
    if (!this.tracker) return;
    this.tracker.forget(uri);
    this.changed.fire();
    this.scheduleIdle();
  }

  profile(): PatternProfile | undefined {
    const p = this.tracker?.profile();
    return p && Object.keys(p).length > 0 ? p : undefined;
  }

  summary(): PatternSummary[] {
    const byPattern = new Map<PatternName, { count: number; places: PatternSummary['places'] }>();
    const tracker = this.tracker;
    if (!tracker) return [];
    for (const uri of tracker.trackedFiles()) {
      for (const f of tracker.findings(uri)) {
        const entry = byPattern.get(f.pattern) ?? { count: 0, places: [] };
        entry.count++;
        if (entry.places.length < MAX_PLACES) entry.places.push({ uri, line: f.startLine - 1, label: `${path.basename(decodeURIComponent(uri))}:${f.startLine}` });
        byPattern.set(f.pattern, entry);
      }
    }
    return [...byPattern].map(([pattern, e]) => ({ pattern, count: e.count, places: e.places })).sort((a, b) => b.count - a.count);
  }

  findingsIn(uri: string, startLine: number, endLine: number): PatternFinding[] {
    return (this.tracker?.findings(uri) ?? [])
      .filter((f) => f.startLine - 1 <= endLine && f.endLine - 1 >= startLine)
      .map((f: Finding) => ({ pattern: f.pattern, startLine: f.startLine - 1, endLine: f.endLine - 1, reason: f.message }));
  }

  functionAt(uri: string, line: number): { name: string | undefined; startLine: number; endLine: number } | undefined {
    const fn = this.tracker?.findingsAt(uri, line + 1).function;
    return fn && { name: fn.name, startLine: fn.startLine - 1, endLine: fn.endLine - 1 };
  }
}
