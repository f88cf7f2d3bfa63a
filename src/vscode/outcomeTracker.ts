/**
 * What happens to a turn's changes in the editor, turned into outcome signals: the changes
 * reverted or rewritten within minutes (`reverted`), the diagnostics of the files it changed
 * getting worse (`diagnostics-worse`), or the changes still there at the end of the keep window
 * (`kept`). No `vscode` import: the host feeds it document texts, error counts and the clock.
 *
 * A turn collects the edits made after it starts (the editor cannot tell an agent's edits from
 * the developer's) until it goes quiet, the next turn starts, or its agent reports it complete.
 * Its changes are then watched for the keep window.
 */
import type { OutcomeSignal } from '../engine';

/** A document as it stands: its text and how many errors its diagnostics report. */
export interface DocState {
  uri: string;
  text: string;
  errors: number;
}

/** The windows the tracker works with. */
export interface TrackerTimings {
  /** A turn's edits end after this long without one. */
  quietMs: number;
  /** After its edits end, a turn's changes are watched this long: "within minutes". */
  keepMs: number;
  /** Diagnostics are compared once they have been still this long after the edits ended… */
  settleMs: number;
  /** …or at the latest this long after. */
  settleMaxMs: number;
  /** A turn that saw no edit (and was not completed by its agent) is dropped after this long. */
  idleMs: number;
  /** Share of a turn's added lines that must still be there; fewer means it was rewritten. */
  minSurvival: number;
}

export const DEFAULT_TIMINGS: Readonly<TrackerTimings> = {
  quietMs: 60_000,
  keepMs: 5 * 60_000,
  settleMs: 3_000,
  settleMaxMs: 60_000,
  idleMs: 30 * 60_000,
  minSurvival: 0.5,
};

/** How a turn is watched. */
export interface WatchOptions {
  /**
   * Counted as kept when its agent completed it and nothing failed in the keep window, even if
   * no open document changed (Kilo writes files that may not be open). Panel decisions are
   * kept only when edits were seen and survived.
   */
  keptWithoutEdits?: boolean | undefined;
  /** A turn this one takes over from (the user picked another model): dropped if it saw no edit yet. */
  supersedes?: string | undefined;
}

interface Touched {
  before: string;
  beforeErrors: number;
  current: string;
  currentErrors: number;
  /** The text when the edits ended, and the lines the turn added and removed. */
  after: string | undefined;
  added: Map<string, number> | undefined;
  removed: Map<string, number> | undefined;
  afterCounts: Map<string, number> | undefined;
}

interface Watch {
  turnId: string;
  keptWithoutEdits: boolean;
  started: number;
  phase: 'editing' | 'keeping';
  lastEdit: number | undefined;
  closedAt: number;
  completed: boolean;
  baseline: Map<string, { text: string; errors: number }>;
  touched: Map<string, Touched>;
  lastDiagnostics: number;
  diagnosticsChecked: boolean;
  diagnosticsWorse: boolean;
}

/** Lines that say something: trimmed, with at least two word characters (not a lone `});`). */
function lineCounts(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.replace(/\W/g, '').length < 2) continue;
    out.set(line, (out.get(line) ?? 0) + 1);
  }
  return out;
}

/** Lines in `a` beyond their count in `b`. */
function minus(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [line, n] of a) {
    const extra = n - (b.get(line) ?? 0);
    if (extra > 0) out.set(line, extra);
  }
  return out;
}

const total = (m: Map<string, number>): number => [...m.values()].reduce((s, n) => s + n, 0);

/** How much of a change is still there: lines it added that survive, lines it removed that are back. */
export interface ChangeSurvival {
  added: number;
  survived: number;
  removed: number;
  restored: number;
}

/**
 * Compares a document's current text with the change a turn made (`before` → `after`). Lines are
 * compared trimmed, as multisets, ignoring blank and near-empty lines, so moving code or
 * re-indenting it does not count as rewriting it.
 */
export function changeSurvival(before: string, after: string, current: string): ChangeSurvival {
  const b = lineCounts(before);
  const a = lineCounts(after);
  const c = lineCounts(current);
  return survivalOf(minus(a, b), minus(b, a), a, c);
}

function survivalOf(added: Map<string, number>, removed: Map<string, number>, afterCounts: Map<string, number>, current: Map<string, number>): ChangeSurvival {
  let survived = 0;
  for (const [line, n] of added) survived += Math.min(n, current.get(line) ?? 0);
  let restored = 0;
  for (const [line, n] of removed) restored += Math.min(n, Math.max(0, (current.get(line) ?? 0) - (afterCounts.get(line) ?? 0)));
  return { added: total(added), survived, removed: total(removed), restored };
}

/**
 * True when the change is undone or rewritten: fewer than `minSurvival` of its added lines are
 * left, or (for a change that only removed lines) at least half of them are back.
 */
export function isUndone(s: ChangeSurvival, minSurvival: number): boolean {
  if (s.added > 0) return s.survived / s.added < minSurvival;
  if (s.removed > 0) return s.restored / s.removed >= 1 - minSurvival;
  return false;
}

/**
 * Watches turns' changes and reports signals through `emit`. One turn collects edits at a
 * time; earlier ones stay in their keep window. Call `tick` now and then (and after events) so
 * windows close on time; nothing here reads a clock.
 */
export class OutcomeTracker {
  private readonly watches = new Map<string, Watch>();
  private editing: Watch | undefined;
  private readonly timings: TrackerTimings;

  constructor(
    private readonly emit: (turnId: string, signal: OutcomeSignal) => void,
    timings: Partial<TrackerTimings> = {},
    /** Called once per turn, when the first document changes after it. */
    private readonly firstEdit: (turnId: string) => void = () => undefined,
  ) {
    this.timings = { ...DEFAULT_TIMINGS, ...timings };
  }

  /** True while anything is being watched (the host ticks only then). */
  get active(): boolean {
    return this.watches.size > 0;
  }

  /** The turn collecting edits now, if any. */
  get editingTurn(): string | undefined {
    return this.editing?.turnId;
  }

  /** Starts watching a turn with the open documents as they are; the turn collecting edits before it stops collecting. */
  begin(turnId: string, now: number, docs: readonly DocState[], options: WatchOptions = {}): void {
    if (options.supersedes) {
      const old = this.watches.get(options.supersedes);
      if (old && old.phase === 'editing' && old.touched.size === 0) this.cancel(old.turnId);
    }
    if (this.editing) this.close(this.editing, now);
    this.watches.delete(turnId);
    const w: Watch = {
      turnId,
      keptWithoutEdits: options.keptWithoutEdits ?? false,
      started: now,
      phase: 'editing',
      lastEdit: undefined,
      closedAt: 0,
      completed: false,
      baseline: new Map(docs.map((d) => [d.uri, { text: d.text, errors: d.errors }])),
      touched: new Map(),
      lastDiagnostics: now,
      diagnosticsChecked: false,
      diagnosticsWorse: false,
    };
    this.watches.set(turnId, w);
    this.editing = w;
  }

  /** A document was opened: the turn collecting edits takes it as it was before any edit of its own. */
  opened(doc: DocState): void {
    if (this.editing && !this.editing.baseline.has(doc.uri)) this.editing.baseline.set(doc.uri, { text: doc.text, errors: doc.errors });
  }

  /** A document's text changed (the host debounces this per document). */
  edited(uri: string, text: string, now: number): void {
    const e = this.editing;
    if (e) {
      const base = e.baseline.get(uri);
      const t = e.touched.get(uri);
      if (t) t.current = text;
      else if (base && base.text !== text) {
        if (e.touched.size === 0) this.firstEdit(e.turnId);
        e.touched.set(uri, { before: base.text, beforeErrors: base.errors, current: text, currentErrors: base.errors, after: undefined, added: undefined, removed: undefined, afterCounts: undefined });
      }
      if (e.touched.has(uri)) e.lastEdit = now;
    }
    for (const w of this.watches.values()) {
      if (w.phase !== 'keeping') continue;
      const t = w.touched.get(uri);
      if (!t) continue;
      t.current = text;
      this.checkUndone(w);
    }
    this.tick(now);
  }

  /** A document's error count changed. */
  diagnostics(uri: string, errors: number, now: number): void {
    for (const w of this.watches.values()) {
      const t = w.touched.get(uri);
      if (t) {
        t.currentErrors = errors;
        w.lastDiagnostics = now;
      } else if (w.phase === 'editing') {
        const base = w.baseline.get(uri);
        // Before the turn touches a document, its errors are still the turn's starting point.
        if (base) base.errors = errors;
      }
    }
  }

  /** The turn's agent finished it (Kilo reported its last step): its edits end now. */
  complete(turnId: string, now: number): void {
    const w = this.watches.get(turnId);
    if (!w) return;
    w.completed = true;
    if (w.phase === 'editing') this.close(w, now);
    this.tick(now);
  }

  /** Stops watching a turn without a verdict. */
  cancel(turnId: string): void {
    const w = this.watches.get(turnId);
    if (!w) return;
    this.watches.delete(turnId);
    if (this.editing === w) this.editing = undefined;
  }

  /** Closes windows that are due and reports what they show. */
  tick(now: number): void {
    const t = this.timings;
    const e = this.editing;
    if (e) {
      if (e.lastEdit !== undefined && now - e.lastEdit >= t.quietMs) this.close(e, e.lastEdit + t.quietMs);
      else if (e.lastEdit === undefined && now - e.started >= t.idleMs) this.cancel(e.turnId);
    }
    for (const w of [...this.watches.values()]) {
      if (w.phase !== 'keeping') continue;
      if (!w.diagnosticsChecked && w.touched.size > 0) {
        const settled = now - w.lastDiagnostics >= t.settleMs && now - w.closedAt >= t.settleMs;
        if (settled || now - w.closedAt >= t.settleMaxMs) {
          w.diagnosticsChecked = true;
          let before = 0;
          let after = 0;
          for (const x of w.touched.values()) {
            before += x.beforeErrors;
            after += x.currentErrors;
          }
          if (after > before) {
            w.diagnosticsWorse = true;
            this.emit(w.turnId, { kind: 'diagnostics-worse' });
          }
        }
      }
      if (this.watches.has(w.turnId) && now - w.closedAt >= t.keepMs) {
        this.watches.delete(w.turnId);
        const counts = w.touched.size > 0 || (w.keptWithoutEdits && w.completed);
        if (counts && !w.diagnosticsWorse) this.emit(w.turnId, { kind: 'kept' });
      }
    }
  }

  private close(w: Watch, now: number): void {
    if (w.phase !== 'editing') return;
    w.phase = 'keeping';
    w.closedAt = now;
    w.lastDiagnostics = Math.max(w.lastDiagnostics, now);
    if (this.editing === w) this.editing = undefined;
    for (const [uri, t] of w.touched) {
      t.after = t.current;
      const b = lineCounts(t.before);
      const a = lineCounts(t.after);
      t.added = minus(a, b);
      t.removed = minus(b, a);
      t.afterCounts = a;
      // A change that came to nothing worth comparing (whitespace, a lone brace) is not the turn's work.
      if (t.added.size === 0 && t.removed.size === 0) w.touched.delete(uri);
    }
  }

  /** Reports `reverted` once the turn's change, over all its documents, is undone or rewritten. */
  private checkUndone(w: Watch): void {
    const sum: ChangeSurvival = { added: 0, survived: 0, removed: 0, restored: 0 };
    let exactlyBack = w.touched.size > 0;
    for (const t of w.touched.values()) {
      if (!t.added || !t.removed || !t.afterCounts) continue;
      const s = survivalOf(t.added, t.removed, t.afterCounts, lineCounts(t.current));
      sum.added += s.added;
      sum.survived += s.survived;
      sum.removed += s.removed;
      sum.restored += s.restored;
      if (t.current !== t.before) exactlyBack = false;
    }
    if (exactlyBack || isUndone(sum, this.timings.minSurvival)) {
      this.watches.delete(w.turnId);
      this.emit(w.turnId, { kind: 'reverted' });
    }
  }
}
