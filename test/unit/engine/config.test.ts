import assert from 'node:assert/strict';
import {
  ConfigError,
  ConfigStore,
  DEFAULT_CONFIG_TEXT,
  formatIssue,
  loadDefaultConfig,
  overlayFromObject,
  parseConfigText,
  parseDefaultLayer,
  parseDuration,
  resolveConfig,
} from '../../../src/engine';
import type { ConfigIssue } from '../../../src/engine';

const FILE = 'team.yaml';

/** Parses a YAML overlay on top of the embedded default. */
function load(yaml: string, env: Record<string, string> = {}) {
  const base = parseDefaultLayer(env);
  const file = parseConfigText(yaml, { file: FILE, env });
  const resolved = resolveConfig([base.layer, file.layer]);
  return { config: resolved.config, warnings: [...file.warnings, ...resolved.warnings] };
}

/** Runs `fn`, expects a ConfigError, returns its first issue. */
function issueOf(fn: () => unknown): ConfigIssue {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.name, 'ConfigError');
    const first = err.issues[0];
    assert.ok(first);
    return first;
  }
  assert.fail('expected a ConfigError');
}

const yaml = (body: string): string => `routing:\n  convergence:\n${body.replace(/^/gm, '    ')}\n`;

describe('config', () => {
  describe('the embedded default', () => {
    it('has the design weights and thresholds', () => {
      const { config, warnings } = loadDefaultConfig({});
      assert.deepEqual(warnings, []);
      assert.deepEqual(config.weights, { convergence: 0.45, latency: 0.25, cost: 0.2, patternMatch: 0.1 });
      assert.deepEqual(config.thresholds, { minConvergence: 0.65, minRobustness: 70 });
      assert.equal(config.enabled, true);
    });

    it('has the design review settings: Opus 4.5, 5 s timeout, 24 h cache, 2,000 characters', () => {
      const { opus } = loadDefaultConfig({}).config;
      assert.equal(opus.model, 'claude-opus-4-5-20251101');
      assert.equal(opus.timeoutMs, 5000);
      assert.equal(opus.cacheTtlMs, 24 * 3600 * 1000);
      assert.equal(opus.cache, true);
      assert.equal(opus.maxCodeChars, 2000);
      assert.equal(opus.endpoint, '');
    });

    it('profiles at least twelve models, each with a source for its figures', () => {
      const { modelProfiles } = loadDefaultConfig({}).config;
      const profiles = Object.values(modelProfiles);
      assert.ok(profiles.length >= 12, `only ${profiles.length} profiles`);
      for (const p of profiles) {
        assert.ok(p.source['baseConvergence'] ?? p.source['all'], `${p.id} has no source for baseConvergence`);
        assert.ok(p.baseConvergence > 0 && p.baseConvergence < 1, p.id);
      }
    });

    it('takes the review endpoint from CLAUDE_API_ENDPOINT', () => {
      const { config } = loadDefaultConfig({ CLAUDE_API_ENDPOINT: 'http://127.0.0.1:9999' });
      assert.equal(config.opus.endpoint, 'http://127.0.0.1:9999');
    });

    it('is the text of config/convergence-routing.yaml', () => {
      assert.match(DEFAULT_CONFIG_TEXT, /^routing:$/m);
    });
  });

  describe('overlays', () => {
    it('override single keys and keep the rest', () => {
      const { config } = load(yaml('thresholds:\n  minConvergence: 0.7'));
      assert.equal(config.thresholds.minConvergence, 0.7);
      assert.equal(config.thresholds.minRobustness, 70);
    });

    it('merge a profile field by field', () => {
      const { config } = load(yaml('modelProfiles:\n  gpt-5.1:\n    pricing: { input: 2 }'));
      const p = config.modelProfiles['gpt-5.1'];
      assert.equal(p?.pricing.input, 2);
      assert.equal(p?.pricing.output, 10);
      assert.equal(p?.baseConvergence, 0.66);
    });

    it('add a complete new profile', () => {
      const { config } = load(
        yaml(
          'modelProfiles:\n  local-coder:\n    baseConvergence: 0.5\n    strengths: [speed]\n    pricing: { input: 0, output: 0 }\n    speed: { ttftMs: 100, outputTokensPerSec: 50 }\n    contextWindow: 32000\n    kiloModel: local/coder\n    source: "our own runs"',
        ),
      );
      const p = config.modelProfiles['local-coder'];
      assert.equal(p?.kiloModel, 'local/coder');
      assert.equal(p?.evidence, 'estimated');
      assert.deepEqual(p?.source, { all: 'our own runs' });
    });

    it('from settings are checked the same way and named "settings"', () => {
      const issue = issueOf(() => overlayFromObject({ weights: { cost: -1 } }, 'settings'));
      assert.equal(issue.file, 'settings');
      assert.equal(issue.path, 'routing.convergence.weights.cost');
      assert.equal(formatIssue(issue), 'settings: routing.convergence.weights.cost: must be a number >= 0 (got -1)');
    });

    it('accept an empty file', () => {
      const { config } = load('');
      assert.equal(config.weights.convergence, 0.45);
    });
  });

  describe('weights', () => {
    it('are normalised to sum to 1, with a warning naming the old sum', () => {
      const { config, warnings } = load(yaml('weights: { convergence: 0.9, latency: 0.5, cost: 0.4, patternMatch: 0.2 }'));
      const sum = config.weights.convergence + config.weights.latency + config.weights.cost + config.weights.patternMatch;
      assert.ok(Math.abs(sum - 1) < 1e-12);
      assert.ok(Math.abs(config.weights.convergence - 0.45) < 1e-12);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', /summed to 2; normalised/);
    });

    it('that already sum to 1 give no warning', () => {
      const { warnings } = load(yaml('weights: { convergence: 0.5, latency: 0.2, cost: 0.2, patternMatch: 0.1 }'));
      assert.deepEqual(warnings, []);
    });

    it('all zero are an error', () => {
      const issue = issueOf(() => load(yaml('weights: { convergence: 0, latency: 0, cost: 0, patternMatch: 0 }')));
      assert.equal(issue.path, 'routing.convergence.weights');
      assert.match(issue.message, /at least one weight/);
    });
  });

  describe('errors', () => {
    it('name file, line, column, key path and value', () => {
      const issue = issueOf(() => load(yaml('weights:\n  cost: fast')));
      assert.deepEqual(issue, {
        file: FILE,
        line: 4,
        column: 13,
        path: 'routing.convergence.weights.cost',
        value: '"fast"',
        message: 'must be a number >= 0',
      });
      assert.equal(formatIssue(issue), 'team.yaml:4:13: routing.convergence.weights.cost: must be a number >= 0 (got "fast")');
    });

    it('report YAML syntax errors with their position', () => {
      const issue = issueOf(() => parseConfigText('routing:\n  convergence: [\n', { file: FILE, env: {} }));
      assert.equal(issue.file, FILE);
      assert.ok(issue.line >= 2);
      assert.match(issue.message, /^YAML syntax/);
    });

    it('reject a threshold out of range', () => {
      const issue = issueOf(() => load(yaml('thresholds:\n  minRobustness: 120')));
      assert.equal(issue.path, 'routing.convergence.thresholds.minRobustness');
      assert.equal(issue.value, '120');
      assert.match(issue.message, /between 0 and 100/);
    });

    it('reject a duration it cannot read', () => {
      const issue = issueOf(() => load(yaml('opus:\n  timeout: soon')));
      assert.equal(issue.path, 'routing.convergence.opus.timeout');
      assert.match(issue.message, /duration/);
    });

    it('reject a Kilo model id without a provider', () => {
      const issue = issueOf(() => load(yaml('modelProfiles:\n  gpt-5.1:\n    kiloModel: gpt51')));
      assert.equal(issue.path, 'routing.convergence.modelProfiles.gpt-5.1.kiloModel');
      assert.equal(issue.line, 5);
    });

    it('reject a section that is not a mapping', () => {
      const issue = issueOf(() => load(yaml('weights: heavy')));
      assert.equal(issue.path, 'routing.convergence.weights');
      assert.match(issue.message, /mapping/);
    });

    it('reject a file whose top level is a list', () => {
      const issue = issueOf(() => parseConfigText('- a\n- b\n', { file: FILE, env: {} }));
      assert.match(issue.message, /top-level "routing"/);
    });

    it('reject a new profile with missing figures, at the profile', () => {
      const issue = issueOf(() => load(yaml('modelProfiles:\n  mystery:\n    baseConvergence: 0.5')));
      assert.equal(issue.path, 'routing.convergence.modelProfiles.mystery');
      assert.equal(issue.line, 4);
      assert.equal(issue.column, 7);
      assert.match(issue.message, /pricing/);
      assert.match(issue.message, /speed/);
    });

    it('reject an evidence level it does not know', () => {
      const issue = issueOf(() => load(yaml('modelProfiles:\n  gpt-5.1:\n    evidence: vibes')));
      assert.match(issue.message, /measured, derived, estimated/);
    });

    it('reject a non-string source', () => {
      const issue = issueOf(() => load(yaml('modelProfiles:\n  gpt-5.1:\n    source: { pricing: 3 }')));
      assert.equal(issue.path, 'routing.convergence.modelProfiles.gpt-5.1.source.pricing');
    });

    it('reject a list of non-strings', () => {
      const issue = issueOf(() => load(yaml('selection:\n  deny: [1, 2]')));
      assert.equal(issue.path, 'routing.convergence.selection.deny');
    });

    it('reject a non-boolean flag', () => {
      const issue = issueOf(() => load(yaml('enabled: maybe')));
      assert.equal(issue.path, 'routing.convergence.enabled');
      assert.match(issue.message, /true or false/);
    });

    it('count every problem, not only the first', () => {
      try {
        load(yaml('weights:\n  cost: x\n  latency: y'));
        assert.fail('expected an error');
      } catch (err) {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.issues.length, 2);
        assert.match(err.message, /and 1 more/);
      }
    });
  });

  describe('warnings', () => {
    it('flag unknown keys with a suggestion', () => {
      const { warnings } = load(yaml('weigths:\n  cost: 0.2'));
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', /team\.yaml:3:5: routing\.convergence\.weigths: unknown key, ignored \(did you mean "weights"\?\)/);
    });

    it('flag unknown strengths and drop them', () => {
      const { config, warnings } = load(yaml('modelProfiles:\n  gpt-5.1:\n    strengths: [reasoning, telepathy]'));
      assert.deepEqual(config.modelProfiles['gpt-5.1']?.strengths, ['reasoning']);
      assert.match(warnings.join('\n'), /unknown strength "telepathy"/);
    });

    it('flag an unset environment variable and use an empty string', () => {
      const { config, warnings } = load(yaml('opus:\n  endpoint: ${REVIEW_ENDPOINT}'), {});
      assert.match(warnings.join('\n'), /team\.yaml:4:7: routing\.convergence\.opus\.endpoint: environment variable REVIEW_ENDPOINT is not set/);
      assert.equal(config.opus.endpoint, '');
    });

    it('refuse a required value that an unset variable left empty', () => {
      const issue = issueOf(() => load(yaml('opus:\n  model: ${REVIEW_MODEL}'), {}));
      assert.equal(issue.path, 'routing.convergence.opus.model');
      assert.equal(issue.value, '""');
    });
  });

  describe('interpolation', () => {
    it('replaces ${NAME} from the environment', () => {
      const { config } = load(yaml('opus:\n  model: ${REVIEW_MODEL}'), { REVIEW_MODEL: 'claude-sonnet-4-5' });
      assert.equal(config.opus.model, 'claude-sonnet-4-5');
    });

    it('uses the default after :- when unset', () => {
      const { config } = load(yaml('opus:\n  model: ${REVIEW_MODEL:-claude-haiku-4-5}'));
      assert.equal(config.opus.model, 'claude-haiku-4-5');
    });

    it('reads numbers and booleans that come from the environment', () => {
      const { config } = load(yaml('enabled: ${ROUTING_ON}\nweights:\n  cost: ${COST_W}'), { ROUTING_ON: 'false', COST_W: '0.2' });
      assert.equal(config.enabled, false);
      assert.equal(config.weights.cost, 0.2);
    });
  });

  describe('durations', () => {
    for (const [text, ms] of [
      ['5000ms', 5000],
      ['5s', 5000],
      ['1.5s', 1500],
      ['2m', 120_000],
      ['24h', 86_400_000],
      ['1d', 86_400_000],
      [250, 250],
    ] as const) {
      it(`reads ${JSON.stringify(text)} as ${ms} ms`, () => assert.equal(parseDuration(text), ms));
    }

    it('refuses negative numbers and unknown units', () => {
      assert.equal(parseDuration(-5), undefined);
      assert.equal(parseDuration('5 weeks'), undefined);
      assert.equal(parseDuration(true), undefined);
    });

    it('apply to the review timeout and cache TTL', () => {
      const { config } = load(yaml('opus:\n  timeout: 2s\n  cacheTTL: 1h'));
      assert.equal(config.opus.timeoutMs, 2000);
      assert.equal(config.opus.cacheTtlMs, 3_600_000);
    });
  });

  describe('selection', () => {
    it('reads allow/deny lists, a cost cap and stickiness', () => {
      const { config } = load(yaml('selection:\n  allow: ["anthropic/*"]\n  deny: [claude-opus-4.5]\n  maxCostPerRequest: 0.05\n  stickiness: 0.1'));
      assert.deepEqual(config.selection.allow, ['anthropic/*']);
      assert.deepEqual(config.selection.deny, ['claude-opus-4.5']);
      assert.equal(config.selection.maxCostPerRequest, 0.05);
      assert.equal(config.selection.stickiness, 0.1);
    });

    it('a null cost cap clears a cap set by an earlier layer', () => {
      const base = parseDefaultLayer({});
      const team = parseConfigText(yaml('selection:\n  maxCostPerRequest: 0.05'), { file: 'team.yaml', env: {} });
      const mine = parseConfigText(yaml('selection:\n  maxCostPerRequest: null'), { file: 'mine.yaml', env: {} });
      const { config } = resolveConfig([base.layer, team.layer, mine.layer]);
      assert.equal(config.selection.maxCostPerRequest, undefined);
    });
  });

  describe('ConfigStore', () => {
    it('keeps the last good config when a reload fails, and says why', () => {
      const store = new ConfigStore(loadDefaultConfig({}).config);
      const good = store.reload(() => [parseDefaultLayer({}), parseConfigText(yaml('thresholds:\n  minConvergence: 0.8'), { file: FILE, env: {} })]);
      assert.equal(good.error, undefined);
      assert.equal(store.config.thresholds.minConvergence, 0.8);

      const bad = store.reload(() => [parseDefaultLayer({}), parseConfigText(yaml('thresholds:\n  minConvergence: high'), { file: FILE, env: {} })]);
      assert.ok(bad.error instanceof ConfigError);
      assert.match(bad.error.message, /team\.yaml:4:23: routing\.convergence\.thresholds\.minConvergence/);
      assert.equal(bad.config.thresholds.minConvergence, 0.8);
      assert.equal(store.config.thresholds.minConvergence, 0.8);
    });

    it('passes on the warnings of the layers it loaded', () => {
      const store = new ConfigStore(loadDefaultConfig({}).config);
      const outcome = store.reload(() => [parseDefaultLayer({}), parseConfigText(yaml('colour: blue'), { file: FILE, env: {} })]);
      assert.match(outcome.warnings.join('\n'), /colour: unknown key/);
    });

    it('does not swallow errors that are not config errors', () => {
      const store = new ConfigStore(loadDefaultConfig({}).config);
      assert.throws(() =>
        store.reload(() => {
          throw new TypeError('disk on fire');
        }),
      /disk on fire/);
    });
  });
});
