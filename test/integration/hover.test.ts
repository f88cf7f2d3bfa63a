import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findProfile } from '../../src/engine';
import type { ConvergenceApi } from '../../src/vscode/extension';
import { functionRequestText } from '../../src/vscode/requestText';
import { extension, hoverText, resetSettings, showWorkspaceFile, waitFor } from './helpers';

describe('inline score hover', () => {
  let api: ConvergenceApi;
  let doc: vscode.TextDocument;

  before(async () => {
    api = (await extension()).exports;
    doc = await showWorkspaceFile('src', 'auth.ts');
  });
  after(resetSettings);

  it("shows the function, the router's pick, its convergence estimate and a route link over a function header", async () => {
    const text = await hoverText(doc.uri, new vscode.Position(1, 20));
    assert.match(text, /`verifyToken` · 10 lines/);
    const request = { text: functionRequestText({ name: 'verifyToken', startLine: 1, endLine: 10 }, 'typescript'), languages: ['typescript'], selectionLines: 10 };
    const d = api.session.preview(request);
    const pick = d.scores.find((s) => s.modelId === d.selected);
    assert.ok(pick);
    const name = findProfile(api.settings.routing, d.selected)?.displayName ?? d.selected;
    assert.ok(text.includes(`Convergence estimate **${pick.breakdown.convergence.toFixed(2)}** with **${name}**`), text);
    assert.ok(text.includes('No cached review of this function.'), text);
    assert.ok(text.includes('(command:convergence.route?'), text);
    const args = decodeURIComponent(/command:convergence\.route\?([^ )]+)/.exec(text)?.[1] ?? '');
    assert.deepEqual(JSON.parse(args), [request], 'the link routes this function');
  });

  it('shows nothing over a line inside the body', async () => {
    assert.equal(await hoverText(doc.uri, new vscode.Position(5, 10)), '');
  });

  it('shows nothing when convergence.hover.enabled is false', async () => {
    await vscode.workspace.getConfiguration('convergence').update('hover.enabled', false, vscode.ConfigurationTarget.Global);
    await waitFor('the setting to apply', () => !api.settings.settings.hover.enabled);
    assert.equal(await hoverText(doc.uri, new vscode.Position(1, 20)), '');
  });
});
