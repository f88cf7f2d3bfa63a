import assert from 'node:assert/strict';
import type { OutcomeSignal } from '../../../src/engine';
import { changeSurvival, DEFAULT_TIMINGS, isUndone, OutcomeTracker } from '../../../src/vscode/outcomeTracker';

const T0 = Date.UTC(2026, 10, 24, 10);
const S = 1000;
const MIN = 60 * S;

const BEFORE = ['export function parse(s: string) {', '  return JSON.parse(s);', '}'].join('\n');
const AFTER = ['export function parse(s: string) {', '  if (!s) throw new Error("empty input");', '  const value = JSON.parse(s);', '  return validate(value);', '}'].join('\n');

function tracker(): { t: OutcomeTracker; signals: Array<[string, OutcomeSignal['kind']]> } {
  const signals: Array<[string, OutcomeSignal['kind']]> = [];
  const t = new OutcomeTracker((turnId, s) => signals.push([turnId, s.kind]));
  return { t, signals };
}

describe('vscode/outcomeTracker', () => {
  describe('changeSurvival', () => {
    it('counts the added lines still present and the removed lines that came back', () => {
      assert.deepEqual(changeSurvival(BEFORE, AFTER, AFTER), { added: 3, survived: 3, removed: 1, restored: 0 });
      assert.deepEqual(changeSurvival(BEFORE, AFTER, BEFORE), { added: 3, survived: 0, removed: 1, restored: 1 });
    });

    it('ignores re-indentation and blank or near-empty lines', () => {
      const reindented = AFTER.split('\n').map((l) => `    ${l}`).join('\n\n');
      assert.deepEqual(changeSurvival(BEFORE, AFTER, reindented), { added: 3, survived: 3, removed: 1, restored: 0 });
      assert.deepEqual(changeSurvival('a = 1\n}', 'a = 1\n}\n});', 'a = 1'), { added: 0, survived: 0, removed: 0, restored: 0 });
    });

    it('calls a change undone when most of its lines are gone, or a deletion when it is mostly back', () => {
      assert.equal(isUndone({ added: 4, survived: 1, removed: 0, restored: 0 }, 0.5), true);
      assert.equal(isUndone({ added: 4, survived: 2, removed: 0, restored: 0 }, 0.5), false);
      assert.equal(isUndone({ added: 0, survived: 0, removed: 4, restored: 2 }, 0.5), true);
      assert.equal(isUndone({ added: 0, survived: 0, removed: 4, restored: 1 }, 0.5), false);
      assert.equal(isUndone({ added: 0, survived: 0, removed: 0, restored: 0 }, 0.5), false);
    });
  });

  it('reports kept when a turn’s edits survive the keep window', () => {
    const { t, signals } = tracker();
    t.begin('r1#1', T0, [{ uri: 'a.ts', text: BEFORE, errors: 0 }]);
    t.edited('a.ts', AFTER, T0 + 10 * S);
    t.tick(T0 + 10 * S + DEFAULT_TIMINGS.quietMs);
    assert.equal(t.editingTurn, undefined, 'the edits ended after the quiet time');
    t.tick(T0 + 10 * S + DEFAULT_TIMINGS.quietMs + DEFAULT_TIMINGS.keepMs - 1);
    assert.deepEqual(signals, []);
    t.tick(T0 + 10 * S + DEFAULT_TIMINGS.quietMs + DEFAULT_TIMINGS.keepMs);
    assert.deepEqual(signals, [['r1#1', 'kept']]);
    assert.equal(t.active, false);
  });

  it('reports reverted when the document goes back to how it was within the keep window', () => {
    const { t, signals } = tracker();
    t.begin('r1#1', T0, [{ uri: 'a.ts', text: BEFORE, errors: 0 }]);
    t.edited('a.ts', AFTER, T0 + S);
    t.complete('r1#1', T0 + 2 * S);
    t.edited('a.ts', BEFORE, T0 + 2 * MIN);
    assert.deepEqual(signals, [['r1#1', 'reverted']]);
    t.tick(T0 + 30 * MIN);
    assert.deepEqual(signals, [['r1#1', 'reverted']], 'no kept after a revert');
  });

  it('reports reverted when most of the added lines are rewritten, not when a few are touched up', () => {
    const { t, signals } = tracker();
    t.begin('r1#1', T0, [{ uri: 'a.ts', text: BEFORE, errors: 0 }]);
    t.edited('a.ts', AFTER, T0 + S);
    t.complete('r1#1', T0 + 2 * S);
    t.edited('a.ts', AFTER.replace('empty input', 'no input'), T0 + MIN);
    assert.deepEqual(signals, [], 'one line of three changed');
    const rewritten = ['export function parse(s: string) {', '  return schema.parse(JSON.parse(s ?? "null"));', '}'].join('\n');
    t.edited('a.ts', rewritten, T0 + 2 * MIN);
    assert.deepEqual(signals, [['r1#1', 'reverted']]);
  });

  it('reports diagnostics-worse when the changed files have more errors once diagnostics settle', () => {
    const { t, signals } = tracker();
    t.begin('r1#1', T0, [{ uri: 'a.ts', text: BEFORE, errors: 1 }]);
    t.edited('a.ts', AFTER, T0 + S);
    t.diagnostics('a.ts', 3, T0 + 2 * S);
    t.complete('r1#1', T0 + 3 * S);
    t.tick(T0 + 3 * S + DEFAULT_TIMINGS.settleMs - 1);
    assert.deepEqual(signals, []);
    t.tick(T0 + 3 * S + DEFAULT_TIMINGS.settleMs);
    assert.deepEqual(signals, [['r1#1', 'diagnostics-worse']]);
    t.tick(T0 + 30 * MIN);
    assert.deepEqual(signals, [['r1#1', 'diagnostics-worse']], 'not kept as well');
  });

  it('takes errors that appear before the turn touches a file as its starting point', () => {
    const { t, signals } = tracker();
    t.begin('r1#1', T0, [{ uri: 'a.ts', text: BEFORE, errors: 0 }]);
    t.diagnostics('a.ts', 2, T0 + S);
    t.edited('a.ts', AFTER, T0 + 2 * S);
    t.diagnostics('a.ts', 2, T0 + 3 * S);
    t.complete('r1#1', T0 + 4 * S);
    t.tick(T0 + 30 * MIN);
    assert.deepEqual(signals, [['r1#1', 'kept']]);
  });

  it('counts a completed agent turn as kept without edits only when asked to', () => {
    const { t, signals } = tracker();
    t.begin('kilo:s:1', T0, [], { keptWithoutEdits: true });
    t.complete('kilo:s:1', T0 + 5 * S);
    t.tick(T0 + 5 * S + DEFAULT_TIMINGS.keepMs);
    assert.deepEqual(signals, [['kilo:s:1', 'kept']]);
    t.begin('r2#1', T0, []);
    t.complete('r2#1', T0 + 5 * S);
    t.tick(T0 + 5 * S + DEFAULT_TIMINGS.keepMs);
    assert.deepEqual(signals, [['kilo:s:1', 'kept']], 'a panel decision with no edit says nothing');
  });

  it('gives edits to the newest turn and keeps watching the earlier one', () => {
    const { t, signals } = tracker();
    t.begin('r1#1', T0, [{ uri: 'a.ts', text: BEFORE, errors: 0 }]);
    t.edited('a.ts', AFTER, T0 + S);
    t.begin('r2#1', T0 + 2 * S, [{ uri: 'a.ts', text: AFTER, errors: 0 }]);
    assert.equal(t.editingTurn, 'r2#1');
    // The second turn rewrites what the first one wrote, within minutes.
    t.edited('a.ts', BEFORE, T0 + MIN);
    assert.deepEqual(signals, [['r1#1', 'reverted']]);
  });

  it('drops a superseded turn that saw no edit, and a turn that never sees one', () => {
    const { t, signals } = tracker();
    t.begin('r1#1', T0, [{ uri: 'a.ts', text: BEFORE, errors: 0 }]);
    t.begin('r1#1~other', T0 + S, [{ uri: 'a.ts', text: BEFORE, errors: 0 }], { supersedes: 'r1#1' });
    t.edited('a.ts', AFTER, T0 + 2 * S);
    t.tick(T0 + 2 * S + DEFAULT_TIMINGS.quietMs + DEFAULT_TIMINGS.keepMs);
    assert.deepEqual(signals, [['r1#1~other', 'kept']]);
    t.begin('r3#1', T0 + 10 * MIN, []);
    t.tick(T0 + 10 * MIN + DEFAULT_TIMINGS.idleMs);
    assert.equal(t.active, false);
    assert.equal(signals.length, 1);
  });

  it('takes a document opened during the turn as it was before the turn edited it', () => {
    const { t, signals } = tracker();
    t.begin('r1#1', T0, []);
    t.opened({ uri: 'b.ts', text: BEFORE, errors: 0 });
    t.edited('b.ts', AFTER, T0 + S);
    t.complete('r1#1', T0 + 2 * S);
    t.edited('b.ts', BEFORE, T0 + 3 * S);
    assert.deepEqual(signals, [['r1#1', 'reverted']]);
  });

  it('tells when a turn sees its first edit, once', () => {
    const used: string[] = [];
    const t = new OutcomeTracker(() => undefined, {}, (turnId) => used.push(turnId));
    t.begin('r1#1', T0, [{ uri: 'a.ts', text: BEFORE, errors: 0 }, { uri: 'b.ts', text: BEFORE, errors: 0 }]);
    t.edited('a.ts', BEFORE, T0 + S);
    assert.deepEqual(used, [], 'no change yet');
    t.edited('a.ts', AFTER, T0 + 2 * S);
    t.edited('b.ts', AFTER, T0 + 3 * S);
    assert.deepEqual(used, ['r1#1']);
  });

  it('does not count an edit that changed only whitespace as the turn’s work', () => {
    const { t, signals } = tracker();
    t.begin('r1#1', T0, [{ uri: 'a.ts', text: BEFORE, errors: 0 }]);
    t.edited('a.ts', `${BEFORE}\n\n`, T0 + S);
    t.complete('r1#1', T0 + 2 * S);
    t.tick(T0 + 30 * MIN);
    assert.deepEqual(signals, []);
  });
});
