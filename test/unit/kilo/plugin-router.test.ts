import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { KiloPluginRouter, parsePluginOptions, requestText } from '../../../src/kilo/plugin-router';
import type { RouterDeps } from '../../../src/kilo/plugin-router';
import { readDecisions, readOutcomes } from '../../../src/kilo/logs';
import { projectPaths } from '../../../src/kilo/paths';
import { writeStateFile } from '../../../src/kilo/state';
import { assistantUpdated, chatOutput, HARD_REQUEST, providersData, tempProject, textPart, TRIVIAL_REQUEST, TWO_MODEL_YAML } from '../../support/kilo-fixtures';
import type { TempProject } from '../../support/kilo-fixtures';

const STRONG = { providerID: 'local', modelID: 'strong' };
const CHEAP = { providerID: 'local', modelID: 'cheap' };

function pluginLog(p: TempProject): string {
  const file = projectPaths(p.dir).pluginLog;
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

describe('kilo/plugin-router', () => {
  let p: TempProject;
  let clock: number;
  const make = (over: Partial<RouterDeps> = {}): KiloPluginRouter =>
    new KiloPluginRouter({
      directory: p.dir,
      home: p.home,
      env: { HOME: p.home },
      now: () => clock,
      loadProviders: () => Promise.resolve(providersData('local', ['cheap', 'strong'])),
      ...over,
    });

  beforeEach(() => {
    p = tempProject();
    p.write('.kilo/convergence-routing.yaml', TWO_MODEL_YAML);
    clock = Date.parse('2026-11-24T12:00:00Z');
  });
  afterEach(() => p.cleanup());

  describe('choosing the model', () => {
    it('sends the auth-system request to the strong model', async () => {
      const out = chatOutput([textPart(HARD_REQUEST)]);
      const r = await make().onChatMessage({ sessionID: 's1' }, out);
      assert.deepEqual(out.message.model, STRONG);
      assert.equal(r.decision?.selected, 'local/strong');
      assert.equal(r.decision?.applied, true);
    });

    it('sends a trivial rename to the cheap model', async () => {
      const out = chatOutput([textPart(TRIVIAL_REQUEST)], STRONG);
      await make().onChatMessage({ sessionID: 's1' }, out);
      assert.deepEqual(out.message.model, CHEAP);
    });

    it('logs the decision with every field the extension reads', async () => {
      clock = Date.parse('2026-11-24T12:34:56Z');
      await make().onChatMessage({ sessionID: 's9' }, chatOutput([textPart(HARD_REQUEST)]));
      const [d] = readDecisions(p.dir).records;
      assert.ok(d);
      assert.equal(d.ts, '2026-11-24T12:34:56.000Z');
      assert.equal(d.sessionID, 's9');
      assert.match(d.requestHash, /^[0-9a-f]{16}$/);
      assert.equal(d.requestPreview, HARD_REQUEST);
      assert.equal(d.selected, 'local/strong');
      assert.equal(d.previous, 'local/cheap');
      assert.equal(d.applied, true);
      assert.equal(d.confidenceLevel, 'HIGH');
      assert.deepEqual(d.scores.map((s) => s.modelId).sort(), ['local/cheap', 'local/strong']);
    });

    it('routes on the user text only, not on synthetic or ignored parts', () => {
      assert.equal(requestText([textPart('a'), textPart('b', { synthetic: true }), textPart('c', { ignored: true }), { type: 'file', filename: 'x.ts' }, textPart('d')]), 'a\nd');
    });

    it('leaves a turn without text alone', async () => {
      const out = chatOutput([{ type: 'file', filename: 'a.ts' }]);
      const r = await make().onChatMessage({ sessionID: 's1' }, out);
      assert.deepEqual(out.message.model, CHEAP);
      assert.equal(r.skipped, 'no text to route on');
    });

    it('keeps the model inside a session when stickiness says the gain is too small', async () => {
      const router = make({ options: { selection: { stickiness: 1 } } });
      await router.onChatMessage({ sessionID: 's1' }, chatOutput([textPart(HARD_REQUEST)]));
      const second = chatOutput([textPart(TRIVIAL_REQUEST)]);
      await router.onChatMessage({ sessionID: 's1' }, second);
      assert.deepEqual(second.message.model, STRONG, 'same session keeps the strong model');
      const other = chatOutput([textPart(TRIVIAL_REQUEST)]);
      await router.onChatMessage({ sessionID: 's2' }, other);
      assert.deepEqual(other.message.model, CHEAP, 'a new session starts fresh');
    });

    it('never picks a denied model', async () => {
      p.write('.kilo/convergence-routing.yaml', TWO_MODEL_YAML + '    selection:\n      deny: [local/strong]\n');
      const out = chatOutput([textPart(HARD_REQUEST)]);
      const r = await make().onChatMessage({ sessionID: 's1' }, out);
      assert.deepEqual(out.message.model, CHEAP);
      assert.deepEqual(r.decision?.scores.map((s) => s.modelId), ['local/cheap']);
    });

    it('lets plugin options override the project file', async () => {
      const out = chatOutput([textPart(HARD_REQUEST)]);
      await make({ options: { selection: { allow: ['claude-haiku-4.5'] } } }).onChatMessage({ sessionID: 's1' }, out);
      assert.deepEqual(out.message.model, CHEAP);
    });

    it('reads the user-level config below the project one', async () => {
      // The user-level file denies Opus; the project file, read after it, does not mention deny.
      const user = `routing:\n  convergence:\n    selection:\n      deny: [claude-opus-4.5]\n`;
      p.write('../home/.config/kilo/convergence-routing.yaml', user);
      const r = await make().onChatMessage({ sessionID: 's1' }, chatOutput([textPart(HARD_REQUEST)]));
      assert.deepEqual(r.decision?.scores.map((s) => s.modelId), ['local/cheap']);
    });

    it('only offers models Kilo knows', async () => {
      const r = await make({ loadProviders: () => Promise.resolve(providersData('local', ['cheap'])) }).onChatMessage({ sessionID: 's1' }, chatOutput([textPart(HARD_REQUEST)]));
      assert.deepEqual(r.decision?.scores.map((s) => s.modelId), ['local/cheap']);
    });

    it('says which models Kilo knows when no profile maps to one', async () => {
      const out = chatOutput([textPart(HARD_REQUEST)]);
      const r = await make({ loadProviders: () => Promise.resolve(providersData('other', ['m1'])) }).onChatMessage({ sessionID: 's1' }, out);
      assert.equal(r.skipped, 'no candidate');
      assert.deepEqual(out.message.model, CHEAP);
      assert.match(pluginLog(p), /no model profile maps to a model Kilo knows.*Kilo knows: other\/m1/);
    });
  });

  describe('respecting the user', () => {
    it('keeps a model named for this turn', async () => {
      const out = chatOutput([textPart(HARD_REQUEST)]);
      const r = await make().onChatMessage({ sessionID: 's1', model: CHEAP }, out);
      assert.deepEqual(out.message.model, CHEAP);
      assert.equal(r.decision?.applied, false);
      assert.equal(r.decision?.selected, 'local/strong', 'the recommendation is still logged');
      assert.match(r.decision?.reason ?? '', /explicit model local\/cheap kept/);
    });

    it('overrides a named model when respectExplicitModel is off in the plugin options', async () => {
      const out = chatOutput([textPart(HARD_REQUEST)]);
      await make({ options: { respectExplicitModel: false } }).onChatMessage({ sessionID: 's1', model: CHEAP }, out);
      assert.deepEqual(out.message.model, STRONG);
    });

    it('lets the editor turn respectExplicitModel off through state.json', async () => {
      writeStateFile(projectPaths(p.dir).state, { version: 1, respectExplicitModel: false });
      const out = chatOutput([textPart(HARD_REQUEST)]);
      await make().onChatMessage({ sessionID: 's1', model: CHEAP }, out);
      assert.deepEqual(out.message.model, STRONG);
    });

    it('does not take the last turn echoed back as an explicit choice', async () => {
      const router = make();
      await router.onChatMessage({ sessionID: 's1' }, chatOutput([textPart(HARD_REQUEST)]));
      const out = chatOutput([textPart(TRIVIAL_REQUEST)], STRONG);
      const r = await router.onChatMessage({ sessionID: 's1', model: STRONG }, out);
      assert.equal(r.decision?.applied, true);
      assert.deepEqual(out.message.model, CHEAP);
    });

    it('routes when the caller only sends the standing default (an editor model picker)', async () => {
      const router = make();
      router.onConfig({ model: 'local/cheap', provider: { local: { models: { cheap: {}, strong: {} } } } });
      const out = chatOutput([textPart(HARD_REQUEST)]);
      const r = await router.onChatMessage({ sessionID: 's1', model: CHEAP }, out);
      assert.equal(r.decision?.applied, true);
      assert.deepEqual(out.message.model, STRONG);
    });

    it("treats the agent's own configured model as its standing default", async () => {
      const router = make();
      router.onConfig({ model: 'local/strong', agent: { plan: { model: 'local/cheap' } } });
      const out = chatOutput([textPart(HARD_REQUEST)]);
      await router.onChatMessage({ sessionID: 's1', agent: 'plan', model: CHEAP }, out);
      assert.deepEqual(out.message.model, STRONG);
      const other = chatOutput([textPart(HARD_REQUEST)]);
      const r = await router.onChatMessage({ sessionID: 's2', agent: 'code', model: CHEAP }, other);
      assert.equal(r.decision?.applied, false, 'for another agent local/cheap is not the standing default');
    });

    it('keeps a model the user picks in the middle of a session', async () => {
      const router = make();
      router.onConfig({ model: 'local/cheap' });
      const first = await router.onChatMessage({ sessionID: 's1', model: CHEAP }, chatOutput([textPart(HARD_REQUEST)]));
      assert.equal(first.decision?.selected, 'local/strong');
      const r2 = await router.onChatMessage({ sessionID: 's1', model: CHEAP }, chatOutput([textPart(HARD_REQUEST)]));
      assert.equal(r2.decision?.applied, true, 'the picker still shows what it showed: not a choice for this turn');
      const r3 = await router.onChatMessage({ sessionID: 's1', model: STRONG }, chatOutput([textPart(HARD_REQUEST)]));
      assert.equal(r3.decision?.applied, true, 'the model the session ran last turn, echoed back');
      const r4 = await router.onChatMessage({ sessionID: 's1', model: { providerID: 'other', modelID: 'x' } }, chatOutput([textPart(TRIVIAL_REQUEST)]));
      assert.equal(r4.decision?.applied, false);
      assert.match(r4.decision?.reason ?? '', /explicit model other\/x kept/);
    });

    it('does nothing when CONVERGENCE_ROUTING_ENABLED=false', async () => {
      const out = chatOutput([textPart(HARD_REQUEST)]);
      const r = await make({ env: { HOME: p.home, CONVERGENCE_ROUTING_ENABLED: 'false' } }).onChatMessage({ sessionID: 's1' }, out);
      assert.deepEqual(out.message.model, CHEAP);
      assert.equal(r.skipped, 'CONVERGENCE_ROUTING_ENABLED is off');
      assert.equal(existsSync(projectPaths(p.dir).decisions), false);
    });

    it('does nothing when the config says enabled: false', async () => {
      p.write('.kilo/convergence-routing.yaml', TWO_MODEL_YAML + '    enabled: false\n');
      const out = chatOutput([textPart(HARD_REQUEST)]);
      const r = await make().onChatMessage({ sessionID: 's1' }, out);
      assert.deepEqual(out.message.model, CHEAP);
      assert.match(r.skipped ?? '', /disabled in the config/);
    });

    it('does nothing while the editor has paused routing', async () => {
      writeStateFile(projectPaths(p.dir).state, { version: 1, enabled: false });
      const out = chatOutput([textPart(HARD_REQUEST)]);
      const r = await make().onChatMessage({ sessionID: 's1' }, out);
      assert.deepEqual(out.message.model, CHEAP);
      assert.match(r.skipped ?? '', /paused from the editor/);
    });
  });

  describe('session state', () => {
    it('routes with a corrupt state.json and logs the problem', async () => {
      p.write('.kilo/convergence/state.json', '{"version": 1, "patt');
      const out = chatOutput([textPart(HARD_REQUEST)]);
      await make().onChatMessage({ sessionID: 's1' }, out);
      assert.deepEqual(out.message.model, STRONG);
      assert.match(pluginLog(p), /state\.json: not valid JSON/);
    });

    it('applies settings overrides from state.json', async () => {
      writeStateFile(projectPaths(p.dir).state, { version: 1, settings: { selection: { deny: ['local/strong'] } } });
      const out = chatOutput([textPart(HARD_REQUEST)]);
      await make().onChatMessage({ sessionID: 's1' }, out);
      assert.deepEqual(out.message.model, CHEAP);
    });

    it('picks up a new state.json without a restart', async () => {
      const router = make();
      const first = chatOutput([textPart(HARD_REQUEST)]);
      await router.onChatMessage({ sessionID: 's1' }, first);
      assert.deepEqual(first.message.model, STRONG);
      writeStateFile(projectPaths(p.dir).state, { version: 1, settings: { selection: { deny: ['claude-opus-4.5'] } } });
      const second = chatOutput([textPart(HARD_REQUEST)]);
      await router.onChatMessage({ sessionID: 's2' }, second);
      assert.deepEqual(second.message.model, CHEAP);
    });

    it('passes the pattern profile to the engine', async () => {
      writeStateFile(projectPaths(p.dir).state, { version: 1, patternProfile: { INSUFFICIENT_VALIDATION: 5 } });
      const r = await make().onChatMessage({ sessionID: 's1' }, chatOutput([textPart(TRIVIAL_REQUEST)]));
      assert.ok(r.routing?.scores.every((s) => s.breakdown.patternMatch !== undefined));
    });

    it('skips a broken project config, naming file and line, and routes on the rest', async () => {
      p.write('.kilo/convergence-routing.yaml', 'routing:\n  convergence:\n    weights:\n      cost: lots\n');
      const out = chatOutput([textPart(HARD_REQUEST)]);
      const r = await make({ loadProviders: () => Promise.resolve(providersData('anthropic', ['claude-opus-4.5', 'claude-haiku-4.5'])) }).onChatMessage({ sessionID: 's1' }, out);
      assert.equal(r.decision?.selected, 'anthropic/claude-opus-4.5');
      assert.match(pluginLog(p), /convergence-routing\.yaml ignored until fixed: .*convergence-routing\.yaml:4:\d+: routing\.convergence\.weights\.cost/);
    });
  });

  describe('failing open', () => {
    it('falls back to the models in Kilo config when the provider list fails', async () => {
      const router = make({ loadProviders: () => Promise.reject(new Error('server not ready')) });
      router.onConfig({ provider: { local: { models: { cheap: {}, strong: {} } } } });
      const out = chatOutput([textPart(HARD_REQUEST)]);
      await router.onChatMessage({ sessionID: 's1' }, out);
      assert.deepEqual(out.message.model, STRONG);
      assert.match(pluginLog(p), /cannot read Kilo's provider list: server not ready/);
    });

    it('waits for the provider list only as long as modelsTimeoutMs', async () => {
      const router = make({ loadProviders: () => new Promise(() => undefined), options: { modelsTimeoutMs: 20 } });
      router.onConfig({ provider: { local: { models: { cheap: {} } } } });
      const out = chatOutput([textPart(HARD_REQUEST)]);
      const r = await router.onChatMessage({ sessionID: 's1' }, out);
      assert.deepEqual(r.decision?.scores.map((s) => s.modelId), ['local/cheap']);
      assert.match(pluginLog(p), /not ready within 20 ms/);
    });

    it('leaves Kilo its choice and logs the error when anything throws', async () => {
      const out = chatOutput([]);
      Object.defineProperty(out, 'parts', {
        get() {
          throw new Error('boom');
        },
      });
      const r = await make().onChatMessage({ sessionID: 's1' }, out);
      assert.deepEqual(out.message.model, CHEAP);
      assert.equal(r.skipped, 'error: boom');
      assert.match(pluginLog(p), /"level":"error","message":"routing failed, Kilo's own model choice stands: boom"/);
    });

    it('reports unknown plugin options without failing', () => {
      const { options, problems } = parsePluginOptions({ respectExplicitModel: 'no', typo: 1, logMaxBytes: 10 });
      assert.equal(options.respectExplicitModel, true);
      assert.equal(problems.length, 3);
      assert.match(problems.join('\n'), /"typo" is unknown/);
    });
  });

  describe('outcomes', () => {
    it('records a completed assistant step once, with the cost Kilo computed', () => {
      const router = make();
      const base = { sessionID: 's1', model: STRONG, created: 1000, id: 'm1' };
      assert.equal(router.onEvent(assistantUpdated({ ...base, cost: 0 }).event), undefined, 'not completed yet');
      const done = assistantUpdated({ ...base, cost: 0.006, completed: 1466, tokens: { input: 1000, output: 200, cacheRead: 50 } }).event;
      const rec = router.onEvent(done);
      assert.deepEqual(rec, {
        ts: new Date(1466).toISOString(),
        sessionID: 's1',
        modelId: 'local/strong',
        costUsd: 0.006,
        tokens: { input: 1000, output: 200, cacheRead: 50 },
        durationMs: 466,
      });
      assert.equal(router.onEvent(done), undefined, 'repeated update ignored');
      assert.equal(readOutcomes(p.dir).records.length, 1);
    });

    it('ignores user messages and other events', () => {
      const router = make();
      assert.equal(router.onEvent({ type: 'session.idle', properties: {} }), undefined);
      assert.equal(router.onEvent({ type: 'message.updated', properties: { info: { role: 'user', id: 'u', time: { created: 1, completed: 2 } } } }), undefined);
      assert.equal(existsSync(projectPaths(p.dir).outcomes), false);
    });

    it('uses observed cost in place of the price list as outcomes accrue', async () => {
      const router = make();
      const before = await router.onChatMessage({ sessionID: 's1' }, chatOutput([textPart(TRIVIAL_REQUEST)]));
      const prior = before.routing?.scores.find((s) => s.modelId === 'claude-haiku-4.5')?.estimate.costUsd ?? 0;
      for (let i = 0; i < 20; i++) router.onEvent(assistantUpdated({ sessionID: 's1', model: CHEAP, cost: 2, created: 0, completed: 100 }).event);
      const after = await router.onChatMessage({ sessionID: 's2' }, chatOutput([textPart(TRIVIAL_REQUEST)]));
      const observed = after.routing?.scores.find((s) => s.modelId === 'claude-haiku-4.5')?.estimate.costUsd ?? 0;
      assert.ok(prior < 0.1, `prior ${prior}`);
      assert.ok(observed > 1.5, `observed ${observed} should be near the $2 seen`);
    });

    it('learns from outcomes already in the log when it starts', async () => {
      const writer = make();
      for (let i = 0; i < 20; i++) writer.onEvent(assistantUpdated({ sessionID: 's0', model: CHEAP, cost: 2, created: 0, completed: 100 }).event);
      const r = await make().onChatMessage({ sessionID: 's1' }, chatOutput([textPart(TRIVIAL_REQUEST)]));
      assert.ok((r.routing?.scores.find((s) => s.modelId === 'claude-haiku-4.5')?.estimate.costUsd ?? 0) > 1.5);
    });

    it('rotates the logs at the configured size', async () => {
      const router = make({ options: { logMaxBytes: 1024 } });
      for (let i = 0; i < 20; i++) await router.onChatMessage({ sessionID: `s${i}` }, chatOutput([textPart(TRIVIAL_REQUEST)]));
      assert.ok(existsSync(`${projectPaths(p.dir).decisions}.1`));
      assert.ok(readFileSync(projectPaths(p.dir).decisions, 'utf8').length <= 1024);
    });
  });
});
