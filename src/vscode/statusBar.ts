import * as vscode from 'vscode';
import { Commands } from './commandIds';
import { Disposable } from './lifecycle';
import type { RoutingSession } from './session';

/** The status bar item: the model in use and the confidence; a click opens the panel. */
export class RoutingStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('convergence.status', vscode.StatusBarAlignment.Right, 100));

  constructor(private readonly session: RoutingSession) {
    super();
    this.item.name = 'Convergence Router';
    this.register(session.onDidChange(() => this.update()));
    this.update();
    this.item.show();
  }

  private update(): void {
    const d = this.session.lastDecision;
    const chosen = this.session.chosenModel;
    if (!d || !chosen) {
      this.item.text = '$(pulse) Convergence';
      this.item.tooltip = 'Route with convergence: score the models for a request';
      this.item.command = Commands.route;
      this.item.accessibilityInformation = { label: 'Convergence Router: no request scored yet. Activate to route a request.' };
      return;
    }
    const override = this.session.overrideModel !== undefined;
    this.item.text = `$(pulse) ${chosen} · ${d.confidenceLevel}${override ? ' (your choice)' : ''}`;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**Convergence Router**${override ? ` — your choice, over ${d.selected}` : ''}\n\n`);
    tip.appendText(d.recommendation);
    tip.appendMarkdown('\n\nClick to open the score panel.');
    this.item.tooltip = tip;
    this.item.command = Commands.showPanel;
    this.item.accessibilityInformation = {
      label: `Convergence Router: ${override ? 'your choice' : 'recommended'} ${chosen}, confidence ${d.confidenceLevel}. Activate to open the score panel.`,
    };
  }
}
