import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/commandIds';
import type { ConvergenceApi } from '../../src/vscode/extension';
import type { ReviewResult } from '../../src/vscode/seams';
import { GOOD_REVIEW, MessagesServer } from '../support/messages-server';
import { AUTH_REQUEST, extension, hoverText, resetSettings, showWorkspaceFile, waitFor } from './helpers';

describe('Review Current File (real Anthropic SDK against a Messages API server on 127.0.0.1)', () => {
  let api: ConvergenceApi;
  let server: MessagesServer;

  before(async () => {
    api = (await extension()).exports;
    server = await MessagesServer.start();
    await vscode.workspace.getConfiguration('convergence').update('review.endpoint', server.url, vscode.ConfigurationTarget.Global);
    await waitFor('the endpoint setting to apply', () => api.settings.routing.opus.endpoint === server.url);
    await vscode.commands.executeCommand(Commands.route, { text: AUTH_REQUEST });
    await showWorkspaceFile('src', 'auth.ts');
  });
  after(async () => {
    await vscode.workspace.getConfiguration('convergence').update('review.endpoint', undefined, vscode.ConfigurationTarget.Global);
    await resetSettings();
    await server?.close();
  });

  it('sends the active file, credits the review to the model in use, and the scores take it in', async () => {
    const model = api.session.chosenModel;
    assert.ok(model);
    const result = await vscode.commands.executeCommand<ReviewResult | undefined>(Commands.reviewCurrentFile);
    assert.ok(result, 'the command returns the review');
    assert.equal(result.robustness, GOOD_REVIEW.robustness);
    assert.equal(server.requests.length, 1);
    const req = server.last();
    assert.equal(req.headers.authorization, 'Bearer sk-ant-integration-test-key', 'the key from the environment is used');
    assert.equal(req.body?.model, api.settings.routing.opus.model);
    assert.ok(req.body?.messages.some((m) => JSON.stringify(m.content).includes('verifyToken')), 'the file is in the excerpt');
    assert.ok(!req.raw.includes(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '\0'), 'the file path is not sent');
    const rescored = await waitFor('a re-score with the review', () => {
      const s = api.session.lastDecision?.scores.find((x) => x.modelId === model);
      return s?.breakdown.robustness === GOOD_REVIEW.robustness && s;
    });
    assert.equal(rescored.modelId, model);
  });

  it('answers the same code from the review cache, without another request', async () => {
    const before = server.requests.length;
    const again = await vscode.commands.executeCommand<ReviewResult | undefined>(Commands.reviewCurrentFile);
    assert.equal(again?.cached, true);
    assert.equal(again.robustness, GOOD_REVIEW.robustness);
    assert.equal(server.requests.length, before, 'no new request for cached code');
  });

  it("shows the cached review's robustness in the hover", async () => {
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc);
    const text = await hoverText(doc.uri, new vscode.Position(1, 20));
    assert.ok(text.includes(`Reviewed robustness **${GOOD_REVIEW.robustness}**/100 (cached review).`), text);
  });
});
