import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RoutingDecision } from '../../src/engine';
import { appendDecision, appendOutcome } from '../../src/kilo/logs';
import { Commands } from '../../src/vscode/commandIds';
import type { ConvergenceApi } from '../../src/vscode/extension';
import { extension, waitFor, workspaceFolder } from './helpers';

describe('learning from outcomes in the editor', () => {
  let api: ConvergenceApi;
  let folder: string;

  before(async () => {
    api = (await extension()).exports;
    folder = workspaceFolder().uri.fsPath;
    await vscode.commands.executeCommand(Commands.showPanel);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('convergence').update('rolloutPercent', undefined, vscode.ConfigurationTarget.Global);
  });

  it("a thumbs down from the panel shows in the learned statistics for the decision's model", async () => {
    const decision = await vscode.commands.executeCommand<RoutingDecision>(Commands.route, { text: 'Add input validation to the signup form handler' });
    assert.ok(decision);
    const turn = api.panel.snapshot().decision?.turn;
    assert.ok(turn, 'the decision has a turn to judge');
    const model = api.session.chosenModel;
    assert.ok(model);
    const before = api.panel.snapshot().learning?.models.find((m) => m.modelId === model)?.failures ?? 0;
    // What the webview sends when the thumbs-down button is clicked.
    api.panel.receive({ type: 'thumbs', turnId: turn.turnId, up: false });
    const row = await waitFor('the statistics to count the failure', () => {
      const r = api.panel.snapshot().learning?.models.find((m) => m.modelId === model);
      return r && r.failures > before + 0.99 && r;
    });
    assert.ok(row.successRate < row.prior, 'the learned rate drops below the profile');
    assert.ok(row.observations > 0.99, 'one full outcome (decayed by the seconds since)');
    const recent = api.panel.snapshot().learning?.recent.find((t) => t.turnId === turn.turnId);
    assert.deepEqual(recent?.verdict, { success: false, decidedBy: 'thumbs', weight: 1 });
    await waitFor('the panel to draw the model in the statistics table', () => api.panel.lastRendered?.drawn.learned.includes(model));
  });

  it('asking the same request again after a failure signal escalates, leaving out the model that failed', async () => {
    const text = 'Refactor the session store to survive a restart without losing carts';
    const first = await vscode.commands.executeCommand<RoutingDecision>(Commands.route, { text });
    assert.ok(first);
    const firstModel = api.session.chosenModel;
    const same = await vscode.commands.executeCommand<RoutingDecision>(Commands.route, { text });
    assert.equal(api.panel.snapshot().decision?.turn?.attempt, 1, 'before anything came of it, routing it again only re-scores');
    assert.equal(same?.selected, first.selected);
    const turnId = api.panel.snapshot().decision?.turn?.turnId;
    assert.ok(turnId);
    api.panel.receive({ type: 'thumbs', turnId, up: false });
    await waitFor('the failure to be recorded', () => api.panel.snapshot().learning?.recent.find((t) => t.turnId === turnId)?.verdict?.success === false);
    const again = await vscode.commands.executeCommand<RoutingDecision>(Commands.route, { text });
    assert.ok(again);
    const turn = api.panel.snapshot().decision?.turn;
    assert.equal(turn?.attempt, 2);
    assert.deepEqual(turn?.failed, [firstModel]);
    assert.notEqual(api.session.chosenModel, firstModel);
    assert.ok(!again.scores.some((sc) => sc.modelId === firstModel), 'the model that failed is left out');
    // Among the models stronger on this request than the one that failed (or the rest, when none is).
    assert.match(turn?.note ?? '', /^Escalation after .+ failed(, among \d+ stronger model\(s\)|; no stronger model is left)/);
  });

  it("learns a Kilo turn's cost and latency from the plugin's logs", async () => {
    const config = api.session.routing;
    const observed = new Set(api.panel.snapshot().learning?.models.map((m) => m.modelId));
    // A model nothing was learned about yet, so its figures are this turn's alone.
    const profile = Object.values(config.modelProfiles).find((p) => p.kiloModel && !observed.has(p.id) && !config.selection.deny.includes(p.kiloModel) && !config.selection.deny.includes(p.id));
    assert.ok(profile?.kiloModel);
    const start = Date.now() - 10 * 60_000;
    appendDecision(folder, {
      ts: new Date(start).toISOString(),
      sessionID: 'ses_itest_learning',
      requestHash: '0123456789abcdef',
      requestPreview: 'Write unit tests for the invoice rounding rules',
      selected: profile.kiloModel,
      previous: null,
      applied: true,
      confidenceLevel: 'MEDIUM',
      scores: [{ modelId: profile.kiloModel, totalScore: 0.61 }],
    });
    appendOutcome(folder, { ts: new Date(start + 42_000).toISOString(), sessionID: 'ses_itest_learning', modelId: profile.kiloModel, costUsd: 0.0123, tokens: { input: 4000, output: 900, cacheRead: 0 }, durationMs: 40_000 });
    const row = await waitFor('the Kilo turn in the statistics', () => api.panel.snapshot().learning?.models.find((m) => m.modelId === profile.id && m.costObservations > 0.99));
    assert.ok(Math.abs((row.meanCostUsd ?? 0) - 0.0123) < 1e-9, 'the cost of the whole turn');
    assert.ok(Math.abs((row.meanLatencyMs ?? 0) - 42_000) < 1e-6, 'from the decision to its last step');
    assert.equal(row.observations, 0, 'an old turn teaches cost and latency, no verdict');
    const activity = api.panel.snapshot().kilo?.activity ?? '';
    assert.ok(activity.startsWith(`last routed: ${profile.kiloModel} (MEDIUM), cost so far $0.0123 this session`), activity);
    await waitFor('the panel to draw the model in the statistics table', () => api.panel.lastRendered?.drawn.learned.includes(profile.id));
  });

  it('convergence.rolloutPercent round trip: the setting moves new requests to the latency arm and the panel compares the arms', async () => {
    const cfg = vscode.workspace.getConfiguration('convergence');
    const armsBefore = api.panel.snapshot().learning?.arms;
    assert.ok(armsBefore);
    await cfg.update('rolloutPercent', 0, vscode.ConfigurationTarget.Global);
    await waitFor('the rollout setting to apply', () => api.settings.settings.learning.rolloutPercent === 0);
    const latency = await vscode.commands.executeCommand<RoutingDecision>(Commands.route, { text: 'Rename the helper getCwd to currentDirectory' });
    assert.ok(latency);
    assert.equal(latency.mode, 'latency-fallback');
    let snap = api.panel.snapshot();
    assert.equal(snap.decision?.turn?.arm, 'latency');
    assert.equal(snap.learning?.rolloutPercent, 0);
    assert.equal(snap.learning?.arms.latency.requests, armsBefore.latency.requests + 1);
    assert.equal(snap.learning?.arms.convergence.requests, armsBefore.convergence.requests);
    await cfg.update('rolloutPercent', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('the default rollout again', () => api.settings.settings.learning.rolloutPercent === 100);
    const back = await vscode.commands.executeCommand<RoutingDecision>(Commands.route, { text: 'Rename the helper getHome to homeDirectory' });
    assert.equal(back?.mode, 'convergence');
    snap = api.panel.snapshot();
    assert.equal(snap.learning?.rolloutPercent, 100);
    assert.equal(snap.decision?.turn?.arm, 'convergence');
    assert.equal(snap.learning?.arms.convergence.requests, armsBefore.convergence.requests + 1);
  });
});
