import assert from 'node:assert/strict';
import { loadDefaultConfig, route } from '../../../src/engine';
import { barSegments, parseWebviewMessage } from '../../../webview/protocol';

const config = loadDefaultConfig({}).config;
const REQUEST = 'Build a production auth system with JWT, PostgreSQL, email verification';

describe('webview/protocol', () => {
  it('accepts each well-formed message from the webview', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'setWeight', name: 'cost', value: 0.4 }), { type: 'setWeight', name: 'cost', value: 0.4 });
    assert.deepEqual(parseWebviewMessage({ type: 'useModel', modelId: 'gpt-5.1' }), { type: 'useModel', modelId: 'gpt-5.1' });
    assert.deepEqual(parseWebviewMessage({ type: 'openPlace', uri: 'file:///a.ts', line: 3 }), { type: 'openPlace', uri: 'file:///a.ts', line: 3 });
    const drawn = { learned: ['a'], kilo: 'Kilo Code 7.0.1: …', prices: undefined };
    assert.deepEqual(parseWebviewMessage({ type: 'rendered', order: ['a'], totals: [0.5], selected: 'a', drawn }), { type: 'rendered', order: ['a'], totals: [0.5], selected: 'a', drawn });
    assert.deepEqual(parseWebviewMessage({ type: 'thumbs', turnId: 'r1#1', up: false }), { type: 'thumbs', turnId: 'r1#1', up: false });
  });

  it('drops a thumbs message without a turn or a yes/no', () => {
    assert.equal(parseWebviewMessage({ type: 'thumbs', turnId: '', up: true }), undefined);
    assert.equal(parseWebviewMessage({ type: 'thumbs', turnId: 'r1#1', up: 'yes' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'thumbs', up: true }), undefined);
  });

  it('drops unknown types, unknown weights and out-of-range values', () => {
    assert.equal(parseWebviewMessage({ type: 'deleteEverything' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'setWeight', name: 'speed', value: 0.4 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'setWeight', name: 'cost', value: 3 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'setWeight', name: 'cost', value: Number.NaN }), undefined);
    assert.equal(parseWebviewMessage({ type: 'useModel' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'rendered', order: [1], totals: [] }), undefined);
    assert.equal(parseWebviewMessage({ type: 'rendered', order: ['a'], totals: [0.5], selected: 'a' }), undefined, 'no drawn sections');
    assert.equal(parseWebviewMessage({ type: 'rendered', order: ['a'], totals: [0.5], selected: 'a', drawn: { learned: [3], kilo: undefined, prices: undefined } }), undefined);
    assert.equal(parseWebviewMessage('ready'), undefined);
    assert.equal(parseWebviewMessage(null), undefined);
  });

  it('draws bar segments that add up to each total without a pattern profile', () => {
    const d = route(config, { text: REQUEST });
    for (const s of d.scores) {
      const segs = barSegments(s, config.weights, d.mode);
      assert.deepEqual(segs.map((g) => g.part), ['convergence', 'latency', 'cost']);
      const sum = segs.reduce((a, g) => a + g.value, 0);
      assert.ok(Math.abs(sum - s.totalScore) < 0.003, `${s.modelId}: ${sum} vs ${s.totalScore}`);
    }
  });

  it('adds a pattern-match segment when the session has a pattern profile', () => {
    const d = route(config, { text: REQUEST, patternProfile: { ERROR_SWALLOWING: 4, INSUFFICIENT_VALIDATION: 2 } });
    for (const s of d.scores) {
      const segs = barSegments(s, config.weights, d.mode);
      assert.equal(segs.length, 4);
      const sum = segs.reduce((a, g) => a + g.value, 0);
      assert.ok(Math.abs(sum - s.totalScore) < 0.003, `${s.modelId}: ${sum} vs ${s.totalScore}`);
    }
  });

  it('draws only latency in latency-fallback mode', () => {
    const d = route({ ...config, enabled: false }, { text: REQUEST });
    const first = d.scores[0];
    assert.ok(first);
    assert.deepEqual(barSegments(first, config.weights, d.mode), [{ part: 'latency', value: first.breakdown.latencyNormalized }]);
  });
});
