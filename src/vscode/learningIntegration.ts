import path from 'node:path';
import * as vscode from 'vscode';
import type { RoutingConfig } from '../engine';
import type { DecisionRecord, OutcomeRecord } from '../kilo/logs';
import type { LearningConfig, TrackingConfig } from './config';
import { LearningService } from './learningService';
import { Disposable } from './lifecycle';
import { OutcomeTracker } from './outcomeTracker';
import type { DocState } from './outcomeTracker';

/** Where the plugin's logs come from (the Kilo integration). */
export interface KiloLogs {
  readLogs(): { decisions: DecisionRecord[]; outcomes: OutcomeRecord[] };
  onDidChangeLogs: vscode.Event<void>;
}

export interface LearningIntegrationOptions {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  /** The routing config in force, with live prices. */
  config: () => RoutingConfig;
  learning: () => LearningConfig;
  tracking: () => TrackingConfig;
  kilo: KiloLogs | undefined;
}

/** How often windows are checked while something is watched, and Kilo's logs re-read while a turn is open. */
const TICK_MS = 5_000;
const KILO_POLL_MS = 15_000;
/** Quiet time after the last keystroke before a document's text is compared. */
const EDIT_DEBOUNCE_MS = 500;

const errorsIn = (uri: vscode.Uri): number => vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;

/**
 * The editor's side of learning: the per-workspace {@link LearningService} (persisted in the
 * workspace state), fed by the signals the editor sees — edits after a turn (reverted or
 * rewritten within minutes, or kept), diagnostics of the changed files getting worse, and
 * Kilo's turns from its logs. Thumbs and re-asks come through the session.
 */
export class LearningIntegration extends Disposable {
  readonly service: LearningService;
  private readonly tracker: OutcomeTracker;
  private readonly pendingEdits = new Map<string, ReturnType<typeof setTimeout>>();
  private ticker: ReturnType<typeof setInterval> | undefined;
  private lastKiloRead = 0;
  private kiloTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: LearningIntegrationOptions) {
    super();
    const folder = vscode.workspace.workspaceFolders?.[0];
    this.service = this.register(
      new LearningService({
        config: options.config,
        settings: options.learning,
        store: options.context.workspaceState,
        now: Date.now,
        random: Math.random,
        workspace: vscode.workspace.name ?? (folder ? path.basename(folder.uri.fsPath) : undefined),
        log: options.log,
      }),
    );
    this.tracker = new OutcomeTracker(
      (turnId, signal) => {
        this.service.record(turnId, signal);
      },
      {},
      (turnId) => this.service.markUsed(turnId),
    );
    this.register(
      this.service.onDidStartTurn((t) => {
        this.tracker.begin(t.turnId, Date.now(), this.openDocuments(), { keptWithoutEdits: t.keptWithoutEdits, supersedes: t.supersedes });
        this.ensureTicking();
      }),
    );
    this.register(this.service.onDidCompleteTurn((turnId) => this.tracker.complete(turnId, Date.now())));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.scheduleEdit(e.document)));
    this.register(
      vscode.workspace.onDidOpenTextDocument((doc) => {
        if (this.tracker.editingTurn && this.trackable(doc)) this.tracker.opened({ uri: doc.uri.toString(), text: doc.getText(), errors: errorsIn(doc.uri) });
      }),
    );
    this.register(
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (!this.tracker.active) return;
        const now = Date.now();
        for (const uri of e.uris) this.tracker.diagnostics(uri.toString(), errorsIn(uri), now);
      }),
    );
    this.register({
      dispose: () => {
        clearInterval(this.ticker);
        clearTimeout(this.kiloTimer);
        for (const t of this.pendingEdits.values()) clearTimeout(t);
      },
    });
    const kilo = options.kilo;
    if (kilo) {
      this.register(kilo.onDidChangeLogs(() => this.scheduleKiloRead(300)));
      // The logs may be long: read them after activation, not during it.
      this.scheduleKiloRead(0);
    }
  }

  private trackable(doc: vscode.TextDocument): boolean {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return false;
    const cfg = this.options.tracking();
    if (doc.getText().length / 1024 > cfg.maxFileSizeKb) return false;
    return !cfg.exclude.some((pattern) => vscode.languages.match({ pattern }, doc) > 0);
  }

  private openDocuments(): DocState[] {
    return vscode.workspace.textDocuments.filter((d) => this.trackable(d)).map((d) => ({ uri: d.uri.toString(), text: d.getText(), errors: errorsIn(d.uri) }));
  }

  private scheduleEdit(doc: vscode.TextDocument): void {
    if (!this.tracker.active) return;
    const key = doc.uri.toString();
    clearTimeout(this.pendingEdits.get(key));
    this.pendingEdits.set(
      key,
      setTimeout(() => {
        this.pendingEdits.delete(key);
        if (!doc.isClosed && this.trackable(doc)) this.tracker.edited(key, doc.getText(), Date.now());
      }, EDIT_DEBOUNCE_MS),
    );
  }

  private scheduleKiloRead(delayMs: number): void {
    clearTimeout(this.kiloTimer);
    this.kiloTimer = setTimeout(() => this.readKilo(), delayMs);
  }

  private readKilo(): void {
    const kilo = this.options.kilo;
    if (!kilo) return;
    this.lastKiloRead = Date.now();
    try {
      const { decisions, outcomes } = kilo.readLogs();
      this.service.ingestKilo(decisions, outcomes);
    } catch (err) {
      this.options.log.error(`learning from the Kilo logs failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (this.service.pendingKiloTurns > 0) this.ensureTicking();
  }

  private ensureTicking(): void {
    if (this.ticker) return;
    this.ticker = setInterval(() => {
      const now = Date.now();
      this.tracker.tick(now);
      // A Kilo turn completes a quiet minute after its last step, which no file event announces.
      if (this.service.pendingKiloTurns > 0 && now - this.lastKiloRead >= KILO_POLL_MS) this.readKilo();
      if (!this.tracker.active && this.service.pendingKiloTurns === 0) {
        clearInterval(this.ticker);
        this.ticker = undefined;
      }
    }, TICK_MS);
  }
}
