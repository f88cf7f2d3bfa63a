import path from 'node:path';
import * as vscode from 'vscode';
import type { PatternName } from '../../engine';
import { patternHeuristicFrom } from '../../review';
import type { HeuristicReviewer } from '../../review';
import { Commands } from '../commandIds';
import { loadPatternsBundle } from '../patternIntegration';
import type { ReviewResult } from '../seams';
import type { CommandContext } from './context';
import { inform, reportError } from './ui';

/** What "Review Current File" returns: Claude's review, or the local estimate when Claude could not review. */
export interface ReviewCommandResult extends ReviewResult {
  /** `claude`: a model reviewed the code; `local`: the pattern detectors' estimate, no model involved. */
  source: 'claude' | 'local';
  /** Why Claude did not review (local estimates only). */
  reason: string | undefined;
  /** Patterns the local estimate found. */
  patterns: PatternName[];
}

let local: HeuristicReviewer | undefined;

/** The pattern-based local review; the detectors and grammars load on its first use, from their own bundle. */
function localReviewer(): HeuristicReviewer {
  local ??= patternHeuristicFrom(() => loadPatternsBundle());
  return local;
}

/** Why Claude cannot review here, if it cannot; undefined when it can. */
async function whyNotClaude(ctx: CommandContext): Promise<{ reason: string; needsKey: boolean } | undefined> {
  if (!vscode.workspace.isTrusted) return { reason: 'this workspace is not trusted, so no code is sent for review', needsKey: false };
  if (!ctx.integrations.reviewer) return { reason: 'review with Claude is not available in this build', needsKey: false };
  if (!ctx.settings.routing.opus.enabled) return { reason: 'review with Claude is turned off (convergence.review.enabled)', needsKey: false };
  if (!(await ctx.apiKey.get())) return { reason: 'no Anthropic API key is set', needsKey: true };
  return undefined;
}

/**
 * The local estimate: the pattern detectors run on the file and their findings become a
 * robustness figure. Nothing leaves the machine, and nothing is credited to a model: an
 * estimate is not a review.
 */
async function localEstimate(ctx: CommandContext, doc: vscode.TextDocument, reason: string, needsKey: boolean): Promise<ReviewCommandResult | undefined> {
  const name = path.basename(doc.fileName);
  try {
    const review = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Estimating ${name} locally…` }, () =>
      Promise.resolve(localReviewer().review(doc.getText(), doc.fileName)),
    );
    const summary = review.reasoning.join(' ');
    const line = `local estimate for ${name}: robustness ${review.robustness}/100 (pattern detectors; no Claude review because ${reason}). ${summary}`;
    ctx.log.info(line);
    const actions = needsKey ? ['Set API Key'] : [];
    void vscode.window.showInformationMessage(`Convergence: ${line}`, ...actions).then((pick) => {
      if (pick === 'Set API Key') void vscode.commands.executeCommand(Commands.setApiKey);
    });
    return { robustness: review.robustness, summary, cached: false, source: 'local', reason, patterns: review.patterns };
  } catch (err) {
    reportError(ctx.log, `the local estimate failed: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/**
 * "Review Current File": sends the active file to the reviewer (issue 4) and reports its
 * robustness, credited to the model in use. Where Claude cannot review (untrusted workspace,
 * review off, no key) or the review fails, the pattern detectors give a local estimate instead,
 * and the message says so.
 */
export async function reviewCurrentFile(ctx: CommandContext): Promise<ReviewCommandResult | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    inform(ctx.log, 'open a file to review first.');
    return undefined;
  }
  const doc = editor.document;
  const why = await whyNotClaude(ctx);
  const reviewer = ctx.integrations.reviewer;
  if (why || !reviewer) return localEstimate(ctx, doc, why?.reason ?? 'review with Claude is not available', why?.needsKey ?? false);
  // The review is credited to the model in use: the one that wrote the code.
  const modelId = ctx.session.chosenModel;
  if (!modelId) {
    inform(ctx.log, 'route a request first ("Route with convergence"): a review is credited to the model in use.');
    return undefined;
  }
  const changedRange = editor.selection.isEmpty ? undefined : { startLine: editor.selection.start.line, endLine: editor.selection.end.line };
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reviewing ${vscode.workspace.asRelativePath(doc.uri)}…` },
      () => reviewer.review({ code: doc.getText(), languageId: doc.languageId, fileName: doc.fileName, modelId, changedRange }),
    );
    inform(ctx.log, `${modelId}'s code in ${path.basename(doc.fileName)}: robustness ${Math.round(result.robustness)}/100${result.cached ? ' (cached)' : ''}. ${result.summary}`);
    ctx.session.rescore();
    return { ...result, source: 'claude', reason: undefined, patterns: [] };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.log.warn(`review failed: ${message}; falling back to the local estimate`);
    return localEstimate(ctx, doc, `the review failed (${message})`, false);
  }
}
