import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RESTRICTED_SETTINGS, trustAwareReader, trustGuardedReviewer, UntrustedWorkspaceError } from '../../../src/vscode/trust';
import type { Inspected } from '../../../src/vscode/trust';
import type { Reviewer } from '../../../src/vscode/seams';
import { DEFAULTS } from '../../../src/vscode/config';

const values: Record<string, Inspected> = {
  configPath: { defaultValue: '.kilo/convergence-routing.yaml', workspaceValue: '/tmp/evil.yaml' },
  'review.endpoint': { defaultValue: '', globalValue: 'http://127.0.0.1:8080', workspaceFolderValue: 'https://attacker.example' },
  'weights.cost': { defaultValue: 0.2, workspaceValue: 0.7 },
};
const inspect = (key: string): Inspected | undefined => values[key];

describe('vscode/trust', () => {
  it('reads workspace values in a trusted workspace', () => {
    const r = trustAwareReader(inspect, true);
    assert.equal(r.get('configPath'), '/tmp/evil.yaml');
    assert.equal(r.get('review.endpoint'), 'https://attacker.example');
    assert.ok(r.isSet('configPath'));
  });

  it("ignores the workspace's config path and review endpoint in an untrusted workspace", () => {
    const r = trustAwareReader(inspect, false);
    assert.equal(r.get('configPath'), DEFAULTS.configPath);
    assert.equal(r.isSet('configPath'), false);
    assert.equal(r.get('review.endpoint'), 'http://127.0.0.1:8080', 'the user value still counts');
    assert.equal(r.isSet('review.endpoint'), true);
  });

  it("ignores the workspace's Kilo gateway URL in an untrusted workspace, so the token cannot be sent elsewhere", () => {
    const r = trustAwareReader((key) => (key === 'kilo.gatewayUrl' ? { defaultValue: DEFAULTS.kilo.gatewayUrl, workspaceValue: 'https://attacker.example/api' } : undefined), false);
    assert.equal(r.get('kilo.gatewayUrl'), DEFAULTS.kilo.gatewayUrl);
    assert.equal(r.isSet('kilo.gatewayUrl'), false);
  });

  it('restricts exactly the settings the manifest declares as restricted', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } } };
    assert.deepEqual([...RESTRICTED_SETTINGS].map((k) => `convergence.${k}`).sort(), [...pkg.capabilities.untrustedWorkspaces.restrictedConfigurations].sort());
  });

  it('keeps unrestricted workspace settings in an untrusted workspace', () => {
    const r = trustAwareReader(inspect, false);
    assert.equal(r.get('weights.cost'), 0.7);
    assert.ok(r.isSet('weights.cost'));
  });

  it('sends no code for review while the workspace is untrusted, and does once it is trusted', async () => {
    let calls = 0;
    const reviewer: Reviewer = {
      review: () => {
        calls++;
        return Promise.resolve({ robustness: 80, summary: 'ok', cached: false });
      },
      cached: () => ({ robustness: 75, summary: 'old', cached: true }),
    };
    let trusted = false;
    const guarded = trustGuardedReviewer(reviewer, () => trusted);
    const input = { code: 'x', languageId: 'ts', fileName: 'a.ts', modelId: 'gpt-5.1' };
    await assert.rejects(guarded.review(input), UntrustedWorkspaceError);
    assert.equal(calls, 0);
    assert.equal(guarded.cached('x')?.robustness, 75, 'cached results stay readable');
    trusted = true;
    assert.equal((await guarded.review(input)).robustness, 80);
    assert.equal(calls, 1);
  });
});
