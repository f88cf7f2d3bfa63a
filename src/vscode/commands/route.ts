import * as vscode from 'vscode';
import type { RoutingDecision } from '../../engine';
import { prefill } from '../requestText';
import type { SessionRequest } from '../session';
import { reportError } from './ui';
import type { CommandContext } from './context';

/** Arguments a caller may pass (the hover's command link, the tests); all optional. */
export interface RouteArgs {
  text?: string;
  languages?: string[];
  selectionLines?: number;
}

function isRouteArgs(v: unknown): v is RouteArgs {
  return typeof v === 'object' && v !== null && (!('text' in v) || typeof v.text === 'string');
}

/**
 * "Route with convergence": asks for the request (pre-filled), scores every model with the
 * session's context and opens the panel. Returns the decision, or undefined when cancelled.
 */
export async function routeCommand(ctx: CommandContext, raw?: unknown): Promise<RoutingDecision | undefined> {
  const args: RouteArgs = isRouteArgs(raw) ? raw : {};
  const editor = vscode.window.activeTextEditor;
  const selection = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  let text = args.text?.trim();
  if (!text) {
    const value = prefill(selection, ctx.session.lastRequest?.text);
    text = (
      await vscode.window.showInputBox({
        title: 'Route with convergence',
        prompt: 'Describe the change you want a model to make',
        placeHolder: 'e.g. Build a production auth system with JWT, PostgreSQL, email verification',
        value,
        valueSelection: [0, value.length],
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' ? 'Type a request to score the models for it' : undefined),
      })
    )?.trim();
    if (!text) return undefined;
  }
  const request: SessionRequest = {
    text,
    languages: args.languages ?? (editor ? [editor.document.languageId] : []),
    selectionLines: args.selectionLines ?? (editor && !editor.selection.isEmpty ? editor.selection.end.line - editor.selection.start.line + 1 : undefined),
  };
  const decision = ctx.session.route(request);
  ctx.log.info(`routed "${text.slice(0, 80)}": ${decision ? `${decision.selected} (${decision.confidenceLevel})` : 'no decision'}`);
  ctx.panel.show(true);
  const problem = ctx.session.snapshot().error;
  if (!decision && problem) reportError(ctx.log, problem);
  return decision;
}
