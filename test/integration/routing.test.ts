import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RoutingDecision } from '../../src/engine';
import { Commands } from '../../src/vscode/commandIds';
import type { ConvergenceApi } from '../../src/vscode/extension';
import { AUTH_REQUEST, extension, resetSettings, waitFor } from './helpers';

describe('route command, settings round trip', () => {
  let api: ConvergenceApi;

  before(async () => {
    api = (await extension()).exports;
  });
  afterEach(resetSettings);

  it('scores a request passed as an argument and shows one panel row per model', async () => {
    // A request of its own: asking one that earlier tests applied to Kilo again would be a re-ask, escalated among fewer models.
    const decision = await vscode.commands.executeCommand<RoutingDecision>(Commands.route, { text: 'Add pagination to the orders endpoint' });
    assert.ok(decision, 'the command returns the decision');
    const config = api.settings.routing;
    const denied = Object.values(config.modelProfiles).filter((p) => config.selection.deny.includes(p.id) || config.selection.deny.includes(p.kiloModel ?? '')).length;
    const models = Object.keys(config.modelProfiles).length - denied;
    assert.equal(decision.scores.length, models, 'every model the deny list leaves is scored');
    // Background changes (a review, the pattern tracker) may re-score at any time: compare the
    // panel with the session's latest decision.
    const rendered = await waitFor('the panel to draw the latest decision', () => {
      const r = api.panel.lastRendered;
      const latest = api.session.lastDecision;
      return r && latest && r.order.join() === latest.scores.map((s) => s.modelId).join() && r.selected === latest.selected && r;
    });
    assert.equal(rendered.order.length, models, 'one row per scored model');
  });

  it('re-scores and redraws the open panel when a weight setting changes', async () => {
    await vscode.commands.executeCommand(Commands.route, { text: AUTH_REQUEST });
    const before = await waitFor('the first render', () => (api.panel.lastRendered?.order.length ?? 0) > 0 && api.panel.lastRendered);
    const beforeOrder = before.order.join();
    await vscode.workspace.getConfiguration('convergence').update('weights.cost', 1, vscode.ConfigurationTarget.Global);
    const after = await waitFor('a redraw of the decision under the new weight', () => {
      const r = api.panel.lastRendered;
      const latest = api.session.lastDecision;
      return (
        api.settings.routing.weights.cost > 0.5 &&
        r &&
        latest &&
        r.order.join() !== beforeOrder &&
        r.order.join() === latest.scores.map((s) => s.modelId).join() &&
        r.totals.join() === latest.scores.map((s) => s.totalScore).join() &&
        r
      );
    });
    assert.ok(after.order.length > 0);
  });

  it('keeps the last good value and the scores when a setting is invalid', async () => {
    const cfg = vscode.workspace.getConfiguration('convergence');
    await cfg.update('weights.cost', 0.9, vscode.ConfigurationTarget.Global);
    await waitFor('cost 0.9 to apply', () => api.settings.settings.weights.cost === 0.9 && api.settings.routing.weights.cost > 0.5);
    const good = api.settings.routing.weights.cost;
    const loads = api.settings.loadCount;
    await cfg.update('weights.cost', 'lots', vscode.ConfigurationTarget.Global);
    await waitFor('the reload after the bad value', () => api.settings.loadCount > loads);
    assert.equal(api.settings.settings.weights.cost, 0.9);
    assert.equal(api.settings.routing.weights.cost, good);
  });

  it('keeps a "Use this model" choice over the recommendation and shows it in the panel', async () => {
    const decision = await vscode.commands.executeCommand<RoutingDecision>(Commands.route, { text: AUTH_REQUEST });
    assert.ok(decision);
    const other = decision.scores.find((s) => s.modelId !== decision.selected);
    assert.ok(other);
    await vscode.commands.executeCommand(Commands.useModel, other.modelId);
    assert.equal(api.session.chosenModel, other.modelId);
    assert.equal(api.session.overrideModel, other.modelId);
    assert.equal(api.panel.snapshot().override, other.modelId);
    await vscode.commands.executeCommand(Commands.useModel, decision.selected);
    assert.equal(api.session.overrideModel, undefined, 'picking the recommendation clears the override');
  });
});
