import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, PANEL_VIEW_TYPE } from '../../src/vscode/commandIds';
import type { ConvergenceApi } from '../../src/vscode/extension';
import { AUTH_REQUEST, extension, waitFor } from './helpers';

const panelTabs = (): vscode.Tab[] =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PANEL_VIEW_TYPE));

describe('score panel', () => {
  let api: ConvergenceApi;
  // Background re-scores (patterns, reviews) may land at any time: compare with the latest decision.
  const latestOrder = (): string | undefined => api.session.lastDecision?.scores.map((s) => s.modelId).join();

  before(async () => {
    api = (await extension()).exports;
    await vscode.commands.executeCommand(Commands.route, { text: AUTH_REQUEST });
  });

  it('opens as one editor tab titled "Convergence Scores" and draws the decision', async () => {
    await vscode.commands.executeCommand(Commands.showPanel);
    await vscode.commands.executeCommand(Commands.showPanel);
    await waitFor('the panel tab', () => panelTabs().length === 1);
    assert.equal(panelTabs()[0]?.label, 'Convergence Scores');
    await waitFor('the panel to draw the latest decision', () => api.panel.lastRendered?.order.join() === latestOrder());
  });

  it('is restored through its serializer with a full snapshot', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the panel to close', () => !api.panel.isOpen && panelTabs().length === 0);
    assert.equal(api.panel.lastRendered, undefined);
    // What VS Code does after a window reload: create the panel and hand it to the serializer.
    const restored = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Convergence Scores', vscode.ViewColumn.One, {});
    await api.panel.deserializeWebviewPanel(restored, undefined);
    await waitFor('the restored panel to draw the latest decision', () => api.panel.lastRendered?.order.join() === latestOrder());
    assert.ok(api.panel.isOpen);
  });

  it('contributes every command under the "Convergence" category with the titles the palette shows', async () => {
    const ext = await extension();
    const contributed = (ext.packageJSON as { contributes: { commands: Array<{ command: string; title: string; category: string }> } }).contributes.commands;
    const titles = Object.fromEntries(contributed.map((c) => [c.command, `${c.category}: ${c.title}`]));
    assert.equal(titles[Commands.route], 'Convergence: Route with convergence');
    assert.equal(titles[Commands.showPanel], 'Convergence: Show Score Panel');
    assert.equal(titles[Commands.setApiKey], 'Convergence: Set Anthropic API Key');
    assert.equal(titles[Commands.reviewCurrentFile], 'Convergence: Review Current File');
    assert.equal(titles[Commands.openConfig], 'Convergence: Open Routing Config');
    assert.equal(titles[Commands.applyToKilo], 'Convergence: Apply Recommended Model to Kilo');
    assert.equal(titles[Commands.installKiloPlugin], 'Convergence: Install Kilo Routing Plugin');
    assert.equal(titles[Commands.setKiloToken], 'Convergence: Set Kilo Token');
    assert.deepEqual(Object.keys(titles).sort(), Object.values(Commands).sort());
  });
});
