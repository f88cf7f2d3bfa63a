import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/commandIds';
import type { ConvergenceApi } from '../../src/vscode/extension';
import { AUTH_REQUEST, extension, resetSettings, waitFor, workspaceFolder } from './helpers';

describe('workspace routing config file', () => {
  let api: ConvergenceApi;
  let file: vscode.Uri;
  const write = (text: string): Thenable<void> => vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));

  before(async () => {
    api = (await extension()).exports;
    file = vscode.Uri.joinPath(workspaceFolder().uri, '.kilo', 'convergence-routing.yaml');
    assert.equal(api.settings.configFileUri()?.toString(), file.toString(), 'the default is the file the Kilo plugin reads');
  });
  after(async () => {
    await resetSettings();
    try {
      await vscode.workspace.fs.delete(file);
    } catch {
      // already gone
    }
  });

  it('applies the file, keeps the last good config when it breaks, and lets settings override it', async () => {
    await write('routing:\n  convergence:\n    selection:\n      deny: [kimi-k2]\n    weights:\n      cost: 0.05\n');
    await waitFor('the file to apply', () => api.settings.routing.selection.deny.includes('kimi-k2'), 30_000);
    const decision = await vscode.commands.executeCommand<{ scores: Array<{ modelId: string }> }>(Commands.route, { text: AUTH_REQUEST });
    assert.ok(decision && !decision.scores.some((s) => s.modelId === 'kimi-k2'), 'a denied model is not scored');

    const loads = api.settings.loadCount;
    await write('routing:\n  convergence:\n    weights: [not, a, mapping\n');
    await waitFor('the reload of the broken file', () => api.settings.loadCount > loads, 30_000);
    assert.deepEqual(api.settings.routing.selection.deny, ['kimi-k2'], 'the last good config stays');

    await write('routing:\n  convergence:\n    selection:\n      deny: [kimi-k2]\n    weights:\n      cost: 0.05\n');
    await waitFor('the fixed file', () => api.settings.loadCount > loads + 1, 30_000);
    const fromFile = api.settings.routing.weights.cost;
    await vscode.workspace.getConfiguration('convergence').update('weights.cost', 0.6, vscode.ConfigurationTarget.Global);
    await waitFor('the setting to override the file', () => api.settings.routing.weights.cost > fromFile + 0.2);
    assert.deepEqual(api.settings.routing.selection.deny, ['kimi-k2'], 'the file still applies where settings are silent');
  });

  it('"Open Routing Config" opens the workspace file in an editor', async () => {
    await write('routing:\n  convergence:\n    enabled: true\n');
    const opened = await vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.openConfig);
    assert.equal(opened?.toString(), file.toString());
    await waitFor('the file in the active editor', () => vscode.window.activeTextEditor?.document.uri.toString() === file.toString());
  });
});
