import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/commandIds';
import type { ConvergenceApi } from '../../src/vscode/extension';
import { extension, waitFor } from './helpers';

const ORIGINAL = ['export function total(items: number[]): number {', '  return items.reduce((a, b) => a + b, 0);', '}', ''].join('\n');
const CHANGED = [
  'export function total(items: number[]): number {',
  '  if (!Array.isArray(items)) throw new TypeError("items must be an array");',
  '  const finite = items.filter((n) => Number.isFinite(n));',
  '  return finite.reduce((sum, n) => sum + n, 0);',
  '}',
  '',
].join('\n');

/** Replaces a document's whole text, as an agent's edit would. */
async function setText(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

describe('edit tracking teaches the learner (real documents and diagnostics)', () => {
  let api: ConvergenceApi;
  const turnOf = (): string => {
    const id = api.panel.snapshot().decision?.turn?.turnId;
    assert.ok(id, 'the decision has a turn');
    return id;
  };
  const verdictOf = (turnId: string): string | undefined => api.panel.snapshot().learning?.recent.find((t) => t.turnId === turnId)?.verdict?.decidedBy;

  before(async () => {
    api = (await extension()).exports;
  });

  it('a change undone within minutes counts as reverted for the turn it followed', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: ORIGINAL });
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand(Commands.route, { text: 'Validate the items passed to total() and skip non-finite numbers' });
    const turn = turnOf();
    await setText(doc, CHANGED);
    // The edit reaches the tracker after its debounce (0.5 s); the next request then ends this
    // turn's edits, and what it changed is watched.
    await new Promise((r) => setTimeout(r, 1500));
    await vscode.commands.executeCommand(Commands.route, { text: 'Explain what total() returns for an empty list' });
    assert.notEqual(turnOf(), turn);
    await setText(doc, ORIGINAL);
    await waitFor('the revert to reach the learner', () => verdictOf(turn) === 'reverted', 15_000);
  });

  it('more errors in the changed file after a turn count as diagnostics-worse', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: ORIGINAL });
    await vscode.window.showTextDocument(doc);
    const diagnostics = vscode.languages.createDiagnosticCollection('convergence-itest');
    try {
      await vscode.commands.executeCommand(Commands.route, { text: 'Make total() ignore strings that look like numbers' });
      const turn = turnOf();
      await setText(doc, CHANGED);
      await new Promise((r) => setTimeout(r, 1500));
      diagnostics.set(doc.uri, [
        new vscode.Diagnostic(new vscode.Range(1, 0, 1, 10), 'test error one', vscode.DiagnosticSeverity.Error),
        new vscode.Diagnostic(new vscode.Range(2, 0, 2, 10), 'test error two', vscode.DiagnosticSeverity.Error),
      ]);
      await vscode.commands.executeCommand(Commands.route, { text: 'Document the total() helper' });
      // Diagnostics are compared once they have been still for a few seconds.
      await waitFor('the worse diagnostics to reach the learner', () => verdictOf(turn) === 'diagnostics-worse', 20_000);
    } finally {
      diagnostics.dispose();
    }
  });
});
