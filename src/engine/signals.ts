/**
 * What happens to a model's work after a turn, as the editor can see it. Each signal is evidence
 * of success or failure with a documented weight (docs/learning.md); a turn's verdict combines
 * its signals so that one turn never counts for more than one outcome.
 */

/**
 * An outcome signal for one turn.
 * - `kept`: the Kilo turn completed and its changes were still in place after the keep window.
 * - `reverted`: the changes were reverted or rewritten within minutes.
 * - `reasked`: the same request was asked again (the first answer did not do it).
 * - `diagnostics-worse`: tests or editor diagnostics got worse after the change.
 * - `thumbs`: the developer's explicit judgement in the panel.
 * - `verified`: an external check (a test suite, a benchmark's grader) passed or failed.
 */
export type OutcomeSignal =
  | { kind: 'kept' }
  | { kind: 'reverted' }
  | { kind: 'reasked' }
  | { kind: 'diagnostics-worse' }
  | { kind: 'thumbs'; up: boolean }
  | { kind: 'verified'; passed: boolean };

export type SignalKind = OutcomeSignal['kind'];

/**
 * How much one signal counts, in outcomes (1 = one full success or failure). Explicit and
 * verified judgements count fully; what is inferred from editing behaviour counts less, because
 * it has other explanations (a developer reverts to try another idea, re-asks to get a variant,
 * a diagnostic appears because the work is half done, a kept change may still be wrong).
 */
export const SIGNAL_WEIGHTS: Readonly<Record<SignalKind, number>> = {
  thumbs: 1,
  verified: 1,
  reverted: 0.8,
  reasked: 0.6,
  'diagnostics-worse': 0.6,
  kept: 0.4,
};

/** A turn's verdict: success or failure, with the weight of the evidence behind it (0–1). */
export interface Verdict {
  success: boolean;
  weight: number;
  /** The signal that decided it. */
  decidedBy: SignalKind;
}

/**
 * Combines every signal seen for one turn into one verdict. The developer's thumbs win over
 * everything, then an external check, then the strongest sign of failure, and only then a kept
 * change: a change that was kept and later reverted is a failure, not both.
 */
export function verdictOf(signals: readonly OutcomeSignal[]): Verdict | undefined {
  let thumbs: OutcomeSignal | undefined;
  let verified: OutcomeSignal | undefined;
  let failure: SignalKind | undefined;
  let kept = false;
  for (const s of signals) {
    switch (s.kind) {
      case 'thumbs':
        thumbs = s;
        break;
      case 'verified':
        verified = s;
        break;
      case 'reverted':
      case 'reasked':
      case 'diagnostics-worse':
        if (failure === undefined || SIGNAL_WEIGHTS[s.kind] > SIGNAL_WEIGHTS[failure]) failure = s.kind;
        break;
      case 'kept':
        kept = true;
        break;
    }
  }
  if (thumbs?.kind === 'thumbs') return { success: thumbs.up, weight: SIGNAL_WEIGHTS.thumbs, decidedBy: 'thumbs' };
  if (verified?.kind === 'verified') return { success: verified.passed, weight: SIGNAL_WEIGHTS.verified, decidedBy: 'verified' };
  if (failure !== undefined) return { success: false, weight: SIGNAL_WEIGHTS[failure], decidedBy: failure };
  if (kept) return { success: true, weight: SIGNAL_WEIGHTS.kept, decidedBy: 'kept' };
  return undefined;
}
