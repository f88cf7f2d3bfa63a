import * as vscode from 'vscode';
import type { TrackingConfig } from './config';
import { Disposable } from './lifecycle';
import type { PatternSource } from './seams';

/**
 * Feeds document edits to the pattern tracker: debounced per document, skipping documents over
 * the size limit, excluded globs and anything that is not a file or an untitled buffer.
 */
export class EditTracker extends Disposable {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly sink: PatternSource,
    private readonly settings: () => TrackingConfig,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)));
    this.register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cancel(d.uri.toString());
        this.sink.forget?.(d.uri.toString());
      }),
    );
    this.register(vscode.workspace.onDidSaveTextDocument((d) => this.sink.save?.(d.uri.toString())));
    this.register({ dispose: () => [...this.timers.keys()].forEach((k) => this.cancel(k)) });
    for (const d of vscode.workspace.textDocuments) this.schedule(d);
  }

  private cancel(key: string): void {
    const t = this.timers.get(key);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(key);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return;
    const key = doc.uri.toString();
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.analyse(doc);
      }, this.settings().debounceMs),
    );
  }

  private analyse(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    const cfg = this.settings();
    const text = doc.getText();
    const kb = Buffer.byteLength(text, 'utf8') / 1024;
    if (kb > cfg.maxFileSizeKb) {
      this.log.debug(`not analysed (${Math.round(kb)} KiB > ${cfg.maxFileSizeKb} KiB): ${doc.uri.fsPath}`);
      return;
    }
    if (cfg.exclude.some((pattern) => vscode.languages.match({ pattern }, doc) > 0)) return;
    try {
      this.sink.update(doc.uri.toString(), doc.languageId, text);
    } catch (err) {
      this.log.error(`pattern analysis failed for ${doc.uri.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
