import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { RoutingDecision } from '../../src/engine';
import { appendOutcome } from '../../src/kilo/logs';
import { projectPaths } from '../../src/kilo/paths';
import type { KiloRoutingState } from '../../src/kilo/state';
import { Commands } from '../../src/vscode/commandIds';
import type { ApplyOutcome } from '../../src/vscode/commands';
import type { ConvergenceApi } from '../../src/vscode/extension';
import { AUTH_REQUEST, extension, resetSettings, waitFor, workspaceFolder } from './helpers';

describe('Kilo integration', () => {
  let api: ConvergenceApi;
  let extensionPath: string;
  let folder: string;
  const readState = (): KiloRoutingState | undefined => {
    try {
      return JSON.parse(readFileSync(projectPaths(folder).state, 'utf8')) as KiloRoutingState;
    } catch {
      return undefined;
    }
  };

  before(async () => {
    const ext = await extension();
    api = ext.exports;
    extensionPath = ext.extensionPath;
    folder = workspaceFolder().uri.fsPath;
  });
  after(resetSettings);

  it('"Install Kilo Routing Plugin" puts the built plugin in the workspace .kilo/plugin folder', async () => {
    const message = await vscode.commands.executeCommand<string | undefined>(Commands.installKiloPlugin);
    assert.ok(message, 'the command reports what it did');
    const target = path.join(projectPaths(folder).pluginDir, 'convergence-routing.js');
    assert.equal(readFileSync(target, 'utf8'), readFileSync(path.join(extensionPath, 'dist', 'kilo-plugin.js'), 'utf8'));
    const again = await vscode.commands.executeCommand<string | undefined>(Commands.installKiloPlugin);
    assert.ok(again, 'installing twice is fine');
  });

  it('publishes the settings for the plugin in state.json once the plugin is installed', async () => {
    await vscode.workspace.getConfiguration('convergence').update('weights.cost', 0.7, vscode.ConfigurationTarget.Global);
    const state = await waitFor('state.json with the new weight', () => {
      const s = readState();
      return (s?.settings as { weights?: { cost?: number } } | undefined)?.weights?.cost === 0.7 && s;
    });
    assert.equal(state.version, 1);
    assert.equal(state.enabled, true);
    assert.match(state.writer ?? '', /^convergence-router /);
  });

  it("re-scores with the latency Kilo reported for a model's steps", async () => {
    const decision = await vscode.commands.executeCommand<RoutingDecision>(Commands.route, { text: AUTH_REQUEST });
    assert.ok(decision);
    const model = decision.selected;
    const kiloModel = api.settings.routing.modelProfiles[model]?.kiloModel;
    assert.ok(kiloModel);
    const before = decision.scores.find((s) => s.modelId === model)?.estimate.latencyMs ?? 0;
    for (let i = 0; i < 20; i++) {
      appendOutcome(folder, { ts: new Date().toISOString(), sessionID: 's1', modelId: kiloModel, costUsd: 0.5, tokens: { input: 1000, output: 500, cacheRead: 0 }, durationMs: 600_000 });
    }
    const slower = await waitFor('a re-score with the observed latency', () => {
      const s = api.session.lastDecision?.scores.find((x) => x.modelId === model);
      return s && s.estimate.latencyMs > before * 2 && s;
    });
    assert.ok(slower.estimate.latencyMs > before * 2, `${slower.estimate.latencyMs} ms vs ${before} ms before`);
  });

  it('"Apply Recommended Model to Kilo" says plainly that the installed Kilo Code 5 is not active yet, and names the model', async () => {
    // The fixture Kilo Code 5.0.0 (test/integration/fixtures/kilo5-extension) is installed but not activated yet.
    const outcome = await vscode.commands.executeCommand<ApplyOutcome | undefined>(Commands.applyToKilo);
    const chosen = api.session.chosenModel;
    assert.ok(chosen && outcome);
    assert.equal(outcome.kiloModel, api.settings.routing.modelProfiles[chosen]?.kiloModel);
    assert.match(outcome.message, /^Not applied: Kilo Code 5\.0\.0 is installed but it is not active yet/);
    assert.ok(outcome.message.includes(outcome.kiloModel), 'names the model');
  });
});
