import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_POLICY_SETTINGS, loadDefaultConfig, overlayFromObject, parseDefaultLayer, resolveConfig } from '../../../src/engine';
import { DEFAULT_GATEWAY_URL } from '../../../src/kilo/catalog';
import { DEFAULTS, readConfig, SECTION, settingsOverlay } from '../../../src/vscode/config';
import type { SettingsReader } from '../../../src/vscode/config';

/** Settings as a plain object of keys the user set; the rest fall back to the manifest defaults. */
function reader(set: Record<string, unknown>, seen?: Set<string>): SettingsReader {
  const manifest = manifestProperties();
  return {
    get: (key) => {
      seen?.add(key);
      return key in set ? set[key] : manifest[`${SECTION}.${key}`]?.default;
    },
    isSet: (key) => key in set,
  };
}

interface ManifestProperty {
  type: string | string[];
  default: unknown;
  minimum?: number;
  maximum?: number;
  markdownDescription?: string;
  description?: string;
}

function manifestProperties(): Record<string, ManifestProperty> {
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, ManifestProperty> } };
  };
  return pkg.contributes.configuration.properties;
}

describe('vscode/config', () => {
  it('reads the manifest defaults into the same snapshot as DEFAULTS, with nothing user-set', () => {
    const { config, problems } = readConfig(reader({}));
    assert.deepEqual(problems, []);
    assert.deepEqual({ ...config, userSet: [...config.userSet] }, { ...DEFAULTS, userSet: [] });
  });

  it('reads exactly the settings the manifest contributes', () => {
    const seen = new Set<string>();
    readConfig(reader({}, seen));
    assert.deepEqual([...seen].map((k) => `${SECTION}.${k}`).sort(), Object.keys(manifestProperties()).sort());
  });

  it('describes every setting in the manifest and gives numbers a range', () => {
    for (const [key, p] of Object.entries(manifestProperties())) {
      assert.ok((p.markdownDescription ?? p.description ?? '').length > 20, `${key} has a description`);
      if (p.type === 'number') assert.ok(p.minimum !== undefined && p.maximum !== undefined, `${key} has a range`);
    }
  });

  it('takes its defaults from the default config file', () => {
    const yaml = loadDefaultConfig({}).config;
    assert.deepEqual(DEFAULTS.weights, yaml.weights);
    assert.deepEqual(DEFAULTS.thresholds, yaml.thresholds);
    assert.equal(DEFAULTS.enabled, yaml.enabled);
    assert.equal(DEFAULTS.review.enabled, yaml.opus.enabled);
    assert.equal(DEFAULTS.review.model, yaml.opus.model);
    assert.equal(DEFAULTS.review.timeoutMs, yaml.opus.timeoutMs);
    assert.equal(DEFAULTS.review.cache, yaml.opus.cache);
    assert.equal(DEFAULTS.review.cacheTtlHours * 3_600_000, yaml.opus.cacheTtlMs);
    assert.equal(DEFAULTS.review.maxCodeChars, yaml.opus.maxCodeChars);
    assert.deepEqual(DEFAULTS.models, { allow: yaml.selection.allow, deny: yaml.selection.deny, stickiness: yaml.selection.stickiness });
    assert.equal(DEFAULTS.maxCostPerRequest, yaml.selection.maxCostPerRequest ?? null);
  });

  it("takes the learning defaults from the engine's policy and the gateway URL from the catalog", () => {
    assert.equal(DEFAULTS.learning.enabled, DEFAULT_POLICY_SETTINGS.learning);
    assert.equal(DEFAULTS.learning.rolloutPercent, DEFAULT_POLICY_SETTINGS.rolloutPercent);
    assert.deepEqual(DEFAULTS.learning.exploration, DEFAULT_POLICY_SETTINGS.exploration);
    assert.equal(DEFAULTS.kilo.gatewayUrl, DEFAULT_GATEWAY_URL);
  });

  it('reads the learning settings and refuses a rollout share out of range, keeping the last good one', () => {
    const first = readConfig(reader({ rolloutPercent: 30, 'exploration.maxRequestShare': 0, 'learning.enabled': false }));
    assert.deepEqual(first.problems, []);
    assert.deepEqual(first.config.learning, { enabled: false, rolloutPercent: 30, exploration: { maxRequestShare: 0, maxBudgetShare: 0.05 } });
    const bad = readConfig(reader({ rolloutPercent: 150, 'exploration.maxBudgetShare': -0.1 }), first.config);
    assert.equal(bad.config.learning.rolloutPercent, 30);
    assert.equal(bad.config.learning.exploration.maxBudgetShare, 0.05);
    assert.deepEqual(bad.problems, [
      'convergence.rolloutPercent: must be a number between 0 and 100 (got 150); keeping 30',
      'convergence.exploration.maxBudgetShare: must be a number between 0 and 1 (got -0.1); keeping 0.05',
    ]);
    assert.deepEqual(settingsOverlay(first.config), {}, 'learning settings are not part of the routing config');
  });

  it('refuses a gateway URL that is not http(s)', () => {
    const { config, problems } = readConfig(reader({ 'kilo.gatewayUrl': 'file:///etc/passwd' }));
    assert.equal(config.kilo.gatewayUrl, DEFAULTS.kilo.gatewayUrl);
    assert.match(problems[0] ?? '', /convergence\.kilo\.gatewayUrl: must be an http\(s\) URL/);
  });

  it('records which settings the user set', () => {
    const { config } = readConfig(reader({ 'weights.cost': 0.5, 'hover.enabled': false }));
    assert.deepEqual([...config.userSet].sort(), ['hover.enabled', 'weights.cost']);
    assert.equal(config.weights.cost, 0.5);
    assert.equal(config.hover.enabled, false);
  });

  it('refuses an out-of-range value, names the setting, and keeps the previous value', () => {
    const previous = readConfig(reader({ 'weights.cost': 0.3 })).config;
    const { config, problems } = readConfig(reader({ 'weights.cost': 7 }), previous);
    assert.equal(config.weights.cost, 0.3);
    assert.deepEqual(problems, ['convergence.weights.cost: must be a number between 0 and 1 (got 7); keeping 0.3']);
  });

  it('refuses values of the wrong type for each kind of setting', () => {
    const { config, problems } = readConfig(
      reader({ enabled: 'yes', 'models.deny': 'kimi-k2', 'review.endpoint': 'ftp://x', maxCostPerRequest: -1, 'review.model': '  ' }),
    );
    assert.equal(problems.length, 5, problems.join('\n'));
    assert.equal(config.enabled, DEFAULTS.enabled);
    assert.deepEqual(config.models.deny, DEFAULTS.models.deny);
    assert.equal(config.review.endpoint, '');
    assert.equal(config.maxCostPerRequest, null);
    assert.match(problems.join('\n'), /convergence\.review\.endpoint: must be an http\(s\) URL or empty \(got "ftp:\/\/x"\)/);
  });

  it('returns a frozen snapshot', () => {
    const { config } = readConfig(reader({}));
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.weights) && Object.isFrozen(config.review));
  });

  it('builds an overlay from user-set keys only, so the config file shows through the rest', () => {
    const { config } = readConfig(reader({ 'weights.latency': 0.6, 'models.deny': ['kimi-*'] }));
    assert.deepEqual(settingsOverlay(config), { weights: { latency: 0.6 }, selection: { deny: ['kimi-*'] } });
    assert.deepEqual(settingsOverlay(readConfig(reader({})).config), {});
  });

  it('maps review settings onto the engine names and units', () => {
    const { config } = readConfig(reader({ 'review.timeoutMs': 2500, 'review.cacheTtlHours': 2, maxCostPerRequest: 0.1 }));
    const overlay = settingsOverlay(config);
    assert.deepEqual(overlay, { opus: { timeout: 2500, cacheTTL: 7_200_000 }, selection: { maxCostPerRequest: 0.1 } });
    const resolved = resolveConfig([parseDefaultLayer({}).layer, overlayFromObject(overlay, 'settings').layer]).config;
    assert.equal(resolved.opus.timeoutMs, 2500);
    assert.equal(resolved.opus.cacheTtlMs, 7_200_000);
    assert.equal(resolved.selection.maxCostPerRequest, 0.1);
  });

  it('produces an overlay the engine accepts for every setting at once', () => {
    const { config } = readConfig(
      reader({
        enabled: false,
        'weights.convergence': 1,
        'weights.latency': 0,
        'weights.cost': 0,
        'weights.patternMatch': 0,
        'thresholds.minConvergence': 0.7,
        'thresholds.minRobustness': 80,
        'review.enabled': false,
        'review.endpoint': 'http://127.0.0.1:9',
        'review.model': 'claude-x',
        'review.cache': false,
        'review.maxCodeChars': 500,
        'models.allow': ['anthropic/*'],
        'models.stickiness': 0,
      }),
    );
    const resolved = resolveConfig([parseDefaultLayer({}).layer, overlayFromObject(settingsOverlay(config), 'settings').layer]).config;
    assert.equal(resolved.enabled, false);
    assert.equal(resolved.weights.convergence, 1);
    assert.deepEqual(resolved.thresholds, { minConvergence: 0.7, minRobustness: 80 });
    assert.equal(resolved.opus.endpoint, 'http://127.0.0.1:9');
    assert.deepEqual(resolved.selection.allow, ['anthropic/*']);
  });
});
