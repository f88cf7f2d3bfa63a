// The untrusted pass of the integration suite (run.mjs --pass untrusted): workspace trust is on
// and the folder opens in Restricted Mode. The extension still routes, but ignores the
// workspace's routing config file and sends no code for review.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/commandIds';
import type { ReviewCommandResult } from '../../src/vscode/commands/review';
import type { ConvergenceApi } from '../../src/vscode/extension';
import { MessagesServer } from '../support/messages-server';
import { AUTH_REQUEST, extension, resetSettings, waitFor, workspaceFolder } from './helpers';

describe('an untrusted workspace (Restricted Mode)', () => {
  let api: ConvergenceApi;
  let folder: vscode.WorkspaceFolder;

  before(async () => {
    api = (await extension()).exports;
    folder = workspaceFolder();
  });
  after(resetSettings);

  it('runs in Restricted Mode and still routes', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const decision = await vscode.commands.executeCommand<{ selected: string; scores: unknown[] } | undefined>(Commands.route, { text: AUTH_REQUEST });
    assert.ok(decision && decision.scores.length > 1 && decision.selected);
  });

  it("ignores the workspace's routing config file, while user settings still apply", async () => {
    const file = vscode.Uri.joinPath(folder.uri, '.kilo', 'convergence-routing.yaml');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('routing:\n  convergence:\n    selection:\n      deny: [kimi-k2]\n    weights:\n      cost: 0.05\n'));
    try {
      // A user setting forces a reload; once it shows, the file has had its chance to apply.
      const latency = api.settings.routing.weights.latency;
      await vscode.workspace.getConfiguration('convergence').update('weights.latency', 0.4, vscode.ConfigurationTarget.Global);
      await waitFor('the user setting to apply', () => api.settings.routing.weights.latency > latency);
      assert.ok(!api.settings.routing.selection.deny.includes('kimi-k2'), 'the file did not apply');
      const decision = await vscode.commands.executeCommand<{ scores: Array<{ modelId: string }> } | undefined>(Commands.route, { text: AUTH_REQUEST });
      assert.ok(decision?.scores.some((s) => s.modelId === 'kimi-k2'), 'the model the file denies is still scored');
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });

  it('sends no code for review: "Review Current File" gives the local estimate and says why', async () => {
    const server = await MessagesServer.start();
    try {
      // The key is in the environment (run.mjs) and the endpoint a user setting: in a trusted
      // workspace this review would reach the server.
      assert.ok(process.env['ANTHROPIC_API_KEY']);
      await vscode.workspace.getConfiguration('convergence').update('review.endpoint', server.url, vscode.ConfigurationTarget.Global);
      await waitFor('the endpoint setting to apply', () => api.settings.routing.opus.endpoint === server.url);
      await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, 'src', 'loader.ts'));
      const result = await vscode.commands.executeCommand<ReviewCommandResult | undefined>(Commands.reviewCurrentFile);
      assert.ok(result);
      assert.equal(result.source, 'local');
      assert.equal(result.reason, 'this workspace is not trusted, so no code is sent for review');
      assert.ok(result.patterns.includes('ERROR_SWALLOWING'));
      assert.equal(server.requests.length, 0, 'nothing was sent');
    } finally {
      await vscode.workspace.getConfiguration('convergence').update('review.endpoint', undefined, vscode.ConfigurationTarget.Global);
      await server.close();
    }
  });
});
