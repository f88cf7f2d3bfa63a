import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parseWebviewMessage } from '../../webview/protocol';
import type { HostMessage, PanelSnapshot, RenderedSections, WebviewMessage } from '../../webview/protocol';
import { Commands, PANEL_VIEW_TYPE } from './commandIds';
import { Disposable, Emitter } from './lifecycle';
import { panelHtml } from './panelHtml';
import type { RoutingConfigService } from './routingConfig';
import type { RoutingSession } from './session';

/** What the webview last reported it drew: the row order, best first. */
export interface RenderedReport {
  order: string[];
  totals: number[];
  selected: string | undefined;
  /** The learned-statistics rows, the Kilo line and the price line as drawn. */
  drawn: RenderedSections;
  at: number;
}

/**
 * Hosts the one score panel: opens or reveals it, restores it after a reload (it is its own
 * `WebviewPanelSerializer`), answers `ready` with a full snapshot and posts a new one after
 * every session change.
 */
export class ScorePanelHost extends Disposable implements vscode.WebviewPanelSerializer {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private rendered: RenderedReport | undefined;
  private readonly renderedEmitter = this.register(new Emitter<RenderedReport>());
  /** Fires when the webview reports a render (used by the integration tests' API). */
  readonly onDidRender = this.renderedEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: RoutingSession,
    private readonly settings: RoutingConfigService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(session.onDidChange(() => void this.post()));
    this.register({ dispose: () => void this.panel?.dispose() });
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  get lastRendered(): RenderedReport | undefined {
    return this.rendered;
  }

  /** Opens the panel, or reveals it where it is. */
  show(preserveFocus = false): void {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Convergence Scores', { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, this.options());
    this.attach(panel);
  }

  /** Restores the panel after a window reload. */
  deserializeWebviewPanel(panel: vscode.WebviewPanel, _state: unknown): Thenable<void> {
    this.log.info('restoring the score panel');
    this.attach(panel);
    return Promise.resolve();
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    this.rendered = undefined;
    panel.webview.options = this.options();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
    const asUri = (...p: string[]): string => panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...p)).toString();
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: asUri('dist', 'webview.js'),
      styleUri: asUri('media', 'panel.css'),
    });
    this.panelDisposables = [
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.rendered = undefined;
        for (const d of this.panelDisposables.splice(0)) d.dispose();
      }),
    ];
  }

  /**
   * Takes one message from the webview: checked against the protocol, then acted on. Public so
   * the integration tests can send what the webview sends without a browser.
   */
  receive(raw: unknown): void {
    const msg = parseWebviewMessage(raw);
    if (msg) void this.handle(msg);
    else this.log.warn('dropped an unrecognised message from the score panel');
  }

  private async handle(msg: WebviewMessage): Promise<void> {
    try {
      switch (msg.type) {
        case 'ready':
          await this.post();
          return;
        case 'setWeight':
          await this.settings.writeWeight(msg.name, msg.value);
          return;
        case 'useModel':
          await vscode.commands.executeCommand(Commands.useModel, msg.modelId);
          return;
        case 'clearOverride':
          this.session.clearOverride();
          return;
        case 'reroute':
          await vscode.commands.executeCommand(Commands.route);
          return;
        case 'openPlace': {
          const uri = vscode.Uri.parse(msg.uri, true);
          const line = Math.max(0, Math.floor(msg.line));
          await vscode.window.showTextDocument(uri, { selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.One });
          return;
        }
        case 'thumbs':
          if (!this.session.thumbs(msg.turnId, msg.up)) this.log.warn(`thumbs ${msg.up ? 'up' : 'down'} for turn ${msg.turnId}: the turn is no longer remembered`);
          return;
        case 'rendered':
          this.rendered = { order: msg.order, totals: msg.totals, selected: msg.selected, drawn: msg.drawn, at: Date.now() };
          this.renderedEmitter.fire(this.rendered);
          return;
        default: {
          const never: never = msg;
          void never;
        }
      }
    } catch (err) {
      this.log.error(`score panel action "${msg.type}" failed: ${err instanceof Error ? err.message : String(err)}`);
      void vscode.window.showErrorMessage(`Convergence: ${err instanceof Error ? err.message : String(err)}`, 'Show Log').then((p) => {
        if (p) this.log.show(true);
      });
    }
  }

  /** Posts the full snapshot to the open panel. */
  private async post(): Promise<void> {
    if (!this.panel) return;
    const message: HostMessage = { type: 'snapshot', snapshot: this.snapshot() };
    await this.panel.webview.postMessage(message);
  }

  /** The session's snapshot, with the sliders showing the weights as written (before normalising). */
  snapshot(): PanelSnapshot {
    return { ...this.session.snapshot(), sliders: { ...this.settings.rawWeights } };
  }
}
