import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/commandIds';
import { extension } from './helpers';

describe('activation', () => {
  it('activates and returns its API', async () => {
    const ext = await extension();
    assert.ok(ext.isActive);
    assert.ok(ext.exports.session, 'the API exposes the routing session');
  });

  it('registers every command it contributes', async () => {
    await extension();
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of Object.values(Commands)) assert.ok(all.has(id), `${id} is registered`);
  });
});
