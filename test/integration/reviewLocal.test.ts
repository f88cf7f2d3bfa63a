import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/commandIds';
import type { ReviewCommandResult } from '../../src/vscode/commands/review';
import type { ConvergenceApi } from '../../src/vscode/extension';
import { MessagesServer } from '../support/messages-server';
import { AUTH_REQUEST, extension, showWorkspaceFile, waitFor } from './helpers';

describe('Review Current File without a key: the local estimate', () => {
  let api: ConvergenceApi;
  let server: MessagesServer;
  const savedKey = process.env['ANTHROPIC_API_KEY'];

  before(async () => {
    api = (await extension()).exports;
    // The reviewer reads the key from SecretStorage, then from this process's environment: remove it here.
    delete process.env['ANTHROPIC_API_KEY'];
    server = await MessagesServer.start();
    await vscode.workspace.getConfiguration('convergence').update('review.endpoint', server.url, vscode.ConfigurationTarget.Global);
    await waitFor('the endpoint setting to apply', () => api.settings.routing.opus.endpoint === server.url);
    await vscode.commands.executeCommand(Commands.route, { text: AUTH_REQUEST });
  });
  after(async () => {
    if (savedKey !== undefined) process.env['ANTHROPIC_API_KEY'] = savedKey;
    await vscode.workspace.getConfiguration('convergence').update('review.endpoint', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('estimates the file locally with the pattern detectors, says so, and sends nothing', async () => {
    await showWorkspaceFile('src', 'loader.ts');
    const model = api.session.chosenModel;
    const robustnessBefore = api.session.lastDecision?.scores.find((s) => s.modelId === model)?.breakdown.robustness;
    const result = await vscode.commands.executeCommand<ReviewCommandResult | undefined>(Commands.reviewCurrentFile);
    assert.ok(result, 'the command returns the estimate');
    assert.equal(result.source, 'local');
    assert.equal(result.reason, 'no Anthropic API key is set');
    assert.ok(result.patterns.includes('ERROR_SWALLOWING'), `the empty catch is found: ${result.patterns.join(', ')}`);
    assert.ok(result.robustness < 70, `an estimate below neutral for swallowed errors: ${result.robustness}`);
    assert.match(result.summary, /Estimated locally by the pattern detectors/);
    assert.equal(server.requests.length, 0, 'nothing was sent for review');
    api.session.rescore();
    assert.equal(api.session.lastDecision?.scores.find((s) => s.modelId === model)?.breakdown.robustness, robustnessBefore, 'an estimate is not credited to a model');
  });
});
