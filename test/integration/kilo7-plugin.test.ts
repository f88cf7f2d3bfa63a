// The Kilo 7 pass of the integration suite (run.mjs --kilo 7): a Kilo Code 7.7.7 fixture stands
// where the other pass has Kilo Code 5. Kilo 7 has no API for setting a model from outside, so
// the extension routes through the Kilo plugin and says so.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { KILO_EXTENSION_ID } from '../../src/kilo/detect';
import { PLUGIN_FILE_NAME, projectPaths } from '../../src/kilo/paths';
import { Commands } from '../../src/vscode/commandIds';
import type { ApplyOutcome } from '../../src/vscode/commands';
import type { ConvergenceApi } from '../../src/vscode/extension';
import { routedWithPanel, waitFor } from './helpers';

describe('Kilo Code 7: routing through the Kilo plugin', () => {
  let api: ConvergenceApi;
  let folder: string;

  before(async () => {
    ({ api, folder } = await routedWithPanel());
  });

  it('says in the panel that Kilo Code 7 is installed and the routing plugin is not yet', async () => {
    assert.equal((vscode.extensions.getExtension(KILO_EXTENSION_ID)?.packageJSON as { version?: string } | undefined)?.version, '7.7.7', 'the Kilo 7 fixture is installed');
    const snap = api.panel.snapshot();
    assert.equal(snap.kilo?.kind, 'kilo-plugin');
    assert.match(snap.kilo?.integration ?? '', /^Kilo Code 7\.7\.7: run "Install Kilo Routing Plugin" so the model is chosen before each generation/);
    assert.match(snap.kilo?.detail ?? '', /^kilocode\.kilo-code 7\.7\.7, .*; routing plugin not installed$/);
    await waitFor('the panel to draw the Kilo line', () => api.panel.lastRendered?.drawn.kilo === snap.kilo?.integration);
  });

  it('"Apply Recommended Model to Kilo" installs the plugin for the workspace, explains it, and names the model', async () => {
    const target = `${projectPaths(folder).pluginDir}/${PLUGIN_FILE_NAME}`;
    assert.ok(!existsSync(target));
    const chosen = api.session.chosenModel;
    assert.ok(chosen);
    const outcome = await vscode.commands.executeCommand<ApplyOutcome | undefined>(Commands.applyToKilo);
    assert.ok(outcome);
    assert.equal(outcome.kiloModel, api.settings.routing.modelProfiles[chosen]?.kiloModel);
    assert.match(outcome.message, /^Installed the Kilo routing plugin at .+ for this project\./);
    assert.match(outcome.message, /Kilo Code 7\.7\.7 routes through the routing plugin: it picks the model before each generation/);
    assert.ok(outcome.message.includes(outcome.kiloModel), 'names the model');
    // The installed file is the built plugin, byte for byte.
    assert.ok(existsSync(target));
    assert.deepEqual(readFileSync(target), readFileSync(`${vscode.extensions.getExtension('convergence-router.convergence-router')?.extensionPath}/dist/kilo-plugin.js`));
  });

  it('then says the plugin routes, publishes the session state for it, and does not install twice', async () => {
    api.session.rescore();
    const snap = api.panel.snapshot();
    assert.match(snap.kilo?.integration ?? '', /^Kilo Code 7\.7\.7: the routing plugin chooses the model before each generation\./);
    assert.match(snap.kilo?.detail ?? '', /; routing plugin installed$/);
    const state = await waitFor('state.json for the plugin', () => existsSync(projectPaths(folder).state) && JSON.parse(readFileSync(projectPaths(folder).state, 'utf8')) as { version: number; writer: string });
    assert.equal(state.version, 1);
    assert.match(state.writer, /^convergence-router /);
    const again = await vscode.commands.executeCommand<ApplyOutcome | undefined>(Commands.applyToKilo);
    assert.ok(again);
    assert.match(again.message, /^Kilo Code 7\.7\.7 routes through the routing plugin/);
  });
});
