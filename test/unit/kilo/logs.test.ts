import assert from 'node:assert/strict';
import { loadDefaultConfig } from '../../../src/engine';
import { appendDecision, appendOutcome, mergeObservations, observationsFromOutcomes, readActivity, readOutcomes, summarizeActivity, turnsFromLogs } from '../../../src/kilo/logs';
import type { DecisionRecord, OutcomeRecord } from '../../../src/kilo/logs';
import { tempProject } from '../../support/kilo-fixtures';
import type { TempProject } from '../../support/kilo-fixtures';

const decision = (over: Partial<DecisionRecord> = {}): DecisionRecord => ({
  ts: '2026-11-24T10:00:00.000Z',
  sessionID: 's1',
  requestHash: 'abc',
  requestPreview: 'do it',
  selected: 'anthropic/claude-opus-4.5',
  previous: null,
  applied: true,
  confidenceLevel: 'HIGH',
  scores: [{ modelId: 'anthropic/claude-opus-4.5', totalScore: 0.7 }],
  ...over,
});

const outcome = (over: Partial<OutcomeRecord> = {}): OutcomeRecord => ({
  ts: '2026-11-24T10:00:01.000Z',
  sessionID: 's1',
  modelId: 'anthropic/claude-opus-4.5',
  costUsd: 0.01,
  tokens: { input: 100, output: 10, cacheRead: 0 },
  durationMs: 1000,
  ...over,
});

describe('kilo/logs', () => {
  let p: TempProject;
  beforeEach(() => {
    p = tempProject();
  });
  afterEach(() => p.cleanup());

  it('says what was routed last and what it cost in that session and in all', () => {
    const s = summarizeActivity(
      [decision({ sessionID: 's0' }), decision({ sessionID: 's1', selected: 'local/strong' })],
      [outcome({ sessionID: 's0', costUsd: 0.5 }), outcome({ costUsd: 0.002 }), outcome({ costUsd: 0.003 })],
    );
    assert.equal(s.lastDecision?.selected, 'local/strong');
    assert.equal(s.sessionCostUsd.toFixed(3), '0.005');
    assert.equal(s.totalCostUsd.toFixed(3), '0.505');
    assert.equal(s.text, 'last routed: local/strong (HIGH), cost so far $0.0050 this session, $0.5050 in all');
  });

  it('says when the last choice was not applied and why', () => {
    const s = summarizeActivity([decision({ applied: false, reason: 'explicit model kept' })], []);
    assert.match(s.text, /not applied: explicit model kept/);
    assert.equal(s.notApplied, 1);
  });

  it('reads back what was appended, skipping records without required fields', () => {
    appendDecision(p.dir, decision());
    appendOutcome(p.dir, outcome());
    p.write('.kilo/convergence/outcomes.jsonl', `${JSON.stringify(outcome())}\n{"ts":"x"}\n`);
    const read = readOutcomes(p.dir);
    assert.equal(read.records.length, 1);
    assert.equal(read.bad.length, 1);
    assert.match(readActivity(p.dir).text, /^last routed: anthropic\/claude-opus-4.5/);
  });

  it('turns outcomes into mean latency and cost per profile, adding gateway and direct ids', () => {
    const { config } = loadDefaultConfig();
    const obs = observationsFromOutcomes(config, [
      outcome({ durationMs: 1000, costUsd: 0.01 }),
      outcome({ modelId: 'kilo/anthropic/claude-opus-4.5', durationMs: 3000, costUsd: 0.03 }),
      outcome({ modelId: 'local/unmapped', durationMs: 5 }),
    ]);
    assert.deepEqual(Object.keys(obs), ['claude-opus-4.5']);
    assert.equal(obs['claude-opus-4.5']?.usage?.count, 2);
    assert.equal(obs['claude-opus-4.5']?.usage?.meanLatencyMs, 2000);
    assert.equal(obs['claude-opus-4.5']?.usage?.meanCostUsd?.toFixed(3), '0.020');
  });

  it('groups step outcomes into the turns that produced them', () => {
    const d1 = decision({ ts: '2026-11-24T10:00:00.000Z' });
    const d2 = decision({ ts: '2026-11-24T10:05:00.000Z', selected: 'local/cheap' });
    const other = decision({ sessionID: 's2', ts: '2026-11-24T10:00:00.000Z' });
    const turns = turnsFromLogs(
      [d1, d2, other],
      [
        outcome({ ts: '2026-11-24T09:59:00.000Z', costUsd: 9 }),
        outcome({ ts: '2026-11-24T10:00:02.000Z', costUsd: 0.01 }),
        outcome({ ts: '2026-11-24T10:00:05.500Z', costUsd: 0.02 }),
        outcome({ ts: '2026-11-24T10:05:01.000Z', costUsd: 0.001, modelId: 'local/cheap' }),
        outcome({ sessionID: 'nobody', costUsd: 5 }),
      ],
    );
    assert.equal(turns.length, 2, 'a decision without steps is not a turn yet');
    assert.equal(turns[0]?.decision, d1);
    assert.equal(turns[0]?.steps, 2);
    assert.equal(turns[0]?.costUsd.toFixed(2), '0.03');
    assert.equal(turns[0]?.latencyMs, 5500);
    assert.deepEqual(turns[1]?.models, ['local/cheap']);
    assert.equal(turns[1]?.latencyMs, 1000);
  });

  it('keeps reviews when merging usage and lets the better-backed usage win', () => {
    const merged = mergeObservations(
      { a: { reviews: { count: 2, meanRobustness: 80 }, usage: { count: 10, meanLatencyMs: 1 } }, b: { usage: { count: 1, meanLatencyMs: 1 } } },
      { a: { usage: { count: 3, meanLatencyMs: 9 } }, b: { usage: { count: 4, meanLatencyMs: 9 } }, c: { usage: { count: 1, meanCostUsd: 2 } } },
    );
    assert.deepEqual(merged['a'], { reviews: { count: 2, meanRobustness: 80 }, usage: { count: 10, meanLatencyMs: 1 } });
    assert.equal(merged['b']?.usage?.meanLatencyMs, 9);
    assert.equal(merged['c']?.usage?.meanCostUsd, 2);
  });
});
