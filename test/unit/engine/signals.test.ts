import assert from 'node:assert/strict';
import { SIGNAL_WEIGHTS, verdictOf } from '../../../src/engine';

describe('engine: outcome signals', () => {
  it('has no verdict without a signal', () => {
    assert.equal(verdictOf([]), undefined);
  });

  it('counts a kept change as a partial success', () => {
    assert.deepEqual(verdictOf([{ kind: 'kept' }]), { success: true, weight: SIGNAL_WEIGHTS.kept, decidedBy: 'kept' });
    assert.ok(SIGNAL_WEIGHTS.kept < 1);
  });

  it('lets a later revert turn a kept change into a failure, not both', () => {
    assert.deepEqual(verdictOf([{ kind: 'kept' }, { kind: 'reverted' }]), { success: false, weight: SIGNAL_WEIGHTS.reverted, decidedBy: 'reverted' });
  });

  it('takes the strongest sign of failure', () => {
    const v = verdictOf([{ kind: 'diagnostics-worse' }, { kind: 'reverted' }, { kind: 'reasked' }]);
    assert.equal(v?.decidedBy, 'reverted');
  });

  it('lets an external check outweigh editing behaviour', () => {
    assert.deepEqual(verdictOf([{ kind: 'reverted' }, { kind: 'verified', passed: true }]), { success: true, weight: 1, decidedBy: 'verified' });
  });

  it('lets the developer thumbs outweigh everything, the latest one counting', () => {
    const v = verdictOf([{ kind: 'verified', passed: true }, { kind: 'thumbs', up: true }, { kind: 'thumbs', up: false }]);
    assert.deepEqual(v, { success: false, weight: 1, decidedBy: 'thumbs' });
  });

  it('weighs explicit judgements fully and inferred ones less', () => {
    assert.equal(SIGNAL_WEIGHTS.thumbs, 1);
    assert.equal(SIGNAL_WEIGHTS.verified, 1);
    for (const k of ['reverted', 'reasked', 'diagnostics-worse', 'kept'] as const) assert.ok(SIGNAL_WEIGHTS[k] > 0 && SIGNAL_WEIGHTS[k] < 1, k);
  });
});
