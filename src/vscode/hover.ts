import * as vscode from 'vscode';
import { findProfile, RoutingError } from '../engine';
import { Commands } from './commandIds';
import { functionAt } from './functionAt';
import { Disposable } from './lifecycle';
import { commandArgs, functionRequestText } from './requestText';
import type { RoutingConfigService } from './routingConfig';
import type { Integrations } from './seams';
import type { RoutingSession } from './session';

/** Languages the hover covers (where `functionAt` can find functions). */
export const HOVER_LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'go', 'rust', 'java', 'csharp', 'c', 'cpp', 'php', 'kotlin'];

/**
 * The inline score hover: over a function, its cached pattern findings, the convergence the
 * router expects for work on it, a cached review's robustness, and a link to route it. Built
 * from cached analysis and the local engine only; it never calls the network.
 */
export class ScoreHoverProvider extends Disposable implements vscode.HoverProvider {
  constructor(
    private readonly session: RoutingSession,
    private readonly settings: RoutingConfigService,
    private readonly integrations: Integrations,
  ) {
    super();
    const selector = HOVER_LANGUAGES.flatMap((language) => [
      { language, scheme: 'file' },
      { language, scheme: 'untitled' },
    ]);
    this.register(vscode.languages.registerHoverProvider(selector, this));
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!this.settings.settings.hover.enabled) return undefined;
    const parsed = this.integrations.patterns?.functionAt?.(document.uri.toString(), position.line);
    const fn = parsed ? { name: parsed.name ?? '(anonymous)', startLine: parsed.startLine, endLine: parsed.endLine } : functionAt(document.getText(), position.line, document.languageId);
    if (!fn) return undefined;
    // Only over the function's header line, so the hover does not follow the mouse everywhere.
    if (position.line !== fn.startLine) return undefined;
    const lines = fn.endLine - fn.startLine + 1;
    const findings = this.integrations.patterns?.findingsIn(document.uri.toString(), fn.startLine, fn.endLine);
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: [Commands.route] };
    md.appendMarkdown(`**Convergence** · \`${fn.name}\` · ${lines} lines\n\n`);
    if (findings === undefined) md.appendMarkdown('_Pattern detection is not available in this build._\n\n');
    else if (findings.length === 0) md.appendMarkdown('No patterns found in this function.\n\n');
    else for (const f of findings) md.appendMarkdown(`- \`${f.pattern}\`: ${escapeMd(f.reason)}\n`);
    if (findings && findings.length > 0) md.appendMarkdown('\n');

    const request = {
      text: functionRequestText(fn, document.languageId),
      languages: [document.languageId],
      selectionLines: lines,
    };
    try {
      const d = this.session.preview(request);
      const pick = d.scores.find((s) => s.modelId === d.selected);
      const name = findProfile(this.settings.routing, d.selected)?.displayName ?? d.selected;
      if (pick) {
        md.appendMarkdown(
          `Convergence estimate **${pick.breakdown.convergence.toFixed(2)}** with **${escapeMd(name)}**, the router's pick for work here (total ${pick.totalScore.toFixed(3)}, confidence ${d.confidenceLevel}).\n\n`,
        );
      }
    } catch (err) {
      if (!(err instanceof RoutingError)) throw err;
      md.appendMarkdown(`_No model can be routed: ${escapeMd(err.message)}_\n\n`);
    }
    const code = document.getText(new vscode.Range(fn.startLine, 0, fn.endLine + 1, 0));
    // A review of this function's code, or of the file as it stands now.
    const review = this.integrations.reviewer?.cached(code) ?? this.integrations.reviewer?.cached(document.getText());
    md.appendMarkdown(review ? `Reviewed robustness **${Math.round(review.robustness)}**/100 (cached review).\n\n` : 'No cached review of this function.\n\n');
    const args = commandArgs([request]);
    md.appendMarkdown(`[Route with convergence for this function](command:${Commands.route}?${args} "Score the models for work on ${fn.name}")`);
    return new vscode.Hover(md, new vscode.Range(fn.startLine, 0, fn.startLine, document.lineAt(fn.startLine).text.length));
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]<>()#+!|]/g, '\\$&');
}
