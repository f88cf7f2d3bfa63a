import path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { ReviewResult } from '../seams';
import type { CommandContext } from './context';
import { inform, reportError } from './ui';

/**
 * "Review Current File": sends the active file to the reviewer (issue 4) and reports its
 * robustness. Never in an untrusted workspace, never without a key, never with review off.
 */
export async function reviewCurrentFile(ctx: CommandContext): Promise<ReviewResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    inform(ctx.log, 'this workspace is not trusted, so no code is sent for review.');
    return undefined;
  }
  const reviewer = ctx.integrations.reviewer;
  if (!reviewer) {
    inform(ctx.log, 'code review is not available in this build.');
    return undefined;
  }
  if (!ctx.settings.routing.opus.enabled) {
    inform(ctx.log, 'review is turned off (convergence.review.enabled).');
    return undefined;
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    inform(ctx.log, 'open a file to review first.');
    return undefined;
  }
  const apiKey = await ctx.apiKey.get();
  if (!apiKey) {
    const pick = await vscode.window.showWarningMessage('Convergence: set your Anthropic API key to review code.', 'Set API Key');
    if (pick) await vscode.commands.executeCommand(Commands.setApiKey);
    return undefined;
  }
  // The review is credited to the model in use: the one that wrote the code.
  const modelId = ctx.session.chosenModel;
  if (!modelId) {
    inform(ctx.log, 'route a request first ("Route with convergence"): a review is credited to the model in use.');
    return undefined;
  }
  const doc = editor.document;
  const changedRange = editor.selection.isEmpty ? undefined : { startLine: editor.selection.start.line, endLine: editor.selection.end.line };
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reviewing ${vscode.workspace.asRelativePath(doc.uri)}…` },
      () => reviewer.review({ code: doc.getText(), languageId: doc.languageId, fileName: doc.fileName, modelId, changedRange }),
    );
    inform(ctx.log, `${modelId}'s code in ${path.basename(doc.fileName)}: robustness ${Math.round(result.robustness)}/100${result.cached ? ' (cached)' : ''}. ${result.summary}`);
    ctx.session.rescore();
    return result;
  } catch (err) {
    reportError(ctx.log, `review failed: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
