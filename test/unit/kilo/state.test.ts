import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseState, readStateFile, STATE_VERSION, updateStateFile, writeStateFile } from '../../../src/kilo/state';
import type { KiloRoutingState } from '../../../src/kilo/state';
import { tempProject } from '../../support/kilo-fixtures';
import type { TempProject } from '../../support/kilo-fixtures';

const full: KiloRoutingState = {
  version: STATE_VERSION,
  updatedAt: '2026-11-24T10:00:00.000Z',
  writer: 'test',
  patternProfile: { ERROR_SWALLOWING: 3.5, CLEAN_ARCHITECTURE: 1 },
  languages: ['typescript'],
  settings: { weights: { cost: 0.3 } },
  respectExplicitModel: false,
  enabled: true,
  observations: { 'claude-sonnet-4.5': { reviews: { count: 3, meanRobustness: 82 }, usage: { count: 2, meanLatencyMs: 900 } } },
};

describe('kilo/state', () => {
  let p: TempProject;
  beforeEach(() => {
    p = tempProject();
  });
  afterEach(() => p.cleanup());

  it('reads back every field it writes', () => {
    const file = path.join(p.dir, '.kilo/convergence/state.json');
    writeStateFile(file, full);
    const { state, problems } = readStateFile(file);
    assert.deepEqual(problems, []);
    assert.deepEqual(state, full);
  });

  it('leaves no temp file behind after a write', () => {
    const file = path.join(p.dir, 'state.json');
    writeStateFile(file, full);
    writeStateFile(file, { ...full, languages: ['rust'] });
    assert.deepEqual(readdirSync(p.dir).sort(), ['.gitignore', 'state.json']);
    assert.deepEqual(readStateFile(file).state?.languages, ['rust']);
  });

  it('treats a missing file as no state and no problem', () => {
    assert.deepEqual(readStateFile(path.join(p.dir, 'nope.json')), { state: undefined, problems: [] });
  });

  it('ignores a file that is not JSON, naming the file', () => {
    const file = p.write('state.json', '{"version": 1, "patternProfile": {');
    const { state, problems } = readStateFile(file);
    assert.equal(state, undefined);
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /state\.json: not valid JSON/);
  });

  it('ignores a file of another version', () => {
    const { state, problems } = parseState('{"version": 2}', 'state.json');
    assert.equal(state, undefined);
    assert.match(problems[0] ?? '', /version 2 is not supported \(expected 1\)/);
  });

  it('drops a bad field with a message naming it and keeps the rest', () => {
    const text = JSON.stringify({
      version: 1,
      patternProfile: { ERROR_SWALLOWING: 2, NOT_A_PATTERN: 1, LOGIC_SPIRAL: -1 },
      respectExplicitModel: 'yes',
      observations: { a: { reviews: { count: 1, meanRobustness: 180 } }, b: { outcomes: { successes: 2, failures: 1 } } },
      languages: ['go'],
    });
    const { state, problems } = parseState(text, 'state.json');
    assert.deepEqual(state?.patternProfile, { ERROR_SWALLOWING: 2 });
    assert.equal(state?.respectExplicitModel, undefined);
    assert.deepEqual(state?.languages, ['go']);
    assert.deepEqual(state?.observations, { a: {}, b: { outcomes: { successes: 2, failures: 1 } } });
    assert.equal(problems.length, 4);
    assert.ok(problems.some((m) => m.includes('patternProfile.NOT_A_PATTERN: unknown pattern')));
    assert.ok(problems.some((m) => m.includes('patternProfile.LOGIC_SPIRAL: must be a number >= 0 (got -1)')));
    assert.ok(problems.some((m) => m.includes('respectExplicitModel must be true or false (got "yes")')));
    assert.ok(problems.some((m) => m.includes('observations.a.reviews')));
  });

  it('refuses to write a state the plugin would not read, and keeps the old file', () => {
    const file = path.join(p.dir, 'state.json');
    writeStateFile(file, full);
    const bad = { ...full, patternProfile: { ERROR_SWALLOWING: Number.NaN } } as KiloRoutingState;
    assert.throws(() => writeStateFile(file, bad), /refusing to write invalid session state: .*patternProfile\.ERROR_SWALLOWING/);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), full);
  });

  it('updates one field and keeps the others', () => {
    const file = path.join(p.dir, 'state.json');
    writeStateFile(file, full);
    updateStateFile(file, (s) => ({ ...s, enabled: false }));
    const { state } = readStateFile(file);
    assert.equal(state?.enabled, false);
    assert.deepEqual(state?.observations, full.observations);
  });

  it('starts an update from an empty state when the file is corrupt', () => {
    const file = p.write('state.json', 'garbage');
    const next = updateStateFile(file, (s) => ({ ...s, languages: ['python'] }));
    assert.deepEqual(next, { version: 1, languages: ['python'] });
    assert.ok(existsSync(file));
  });
});
