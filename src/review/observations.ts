import type { Observations } from '../engine';

/**
 * Turns reviews of code written by each model into the engine's `observations[modelId].reviews`
 * (`{count, meanRobustness}`); the engine blends them with the model's prior by count. The same
 * code reviewed twice for the same model counts once, so re-saving a file cannot inflate a
 * model's record, while identical code written by two models counts for both.
 */
export class ReviewObservations {
  private readonly byModel = new Map<string, { count: number; sum: number }>();
  private readonly seen = new Set<string>();

  /** Records one review; returns false when this model's review of this code was already counted. */
  record(modelId: string, reviewKey: string, robustness: number): boolean {
    const id = `${modelId}\0${reviewKey}`;
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    const m = this.byModel.get(modelId) ?? { count: 0, sum: 0 };
    m.count++;
    m.sum += robustness;
    this.byModel.set(modelId, m);
    return true;
  }

  /** A fresh snapshot, safe to hand to `route()` while more reviews land. */
  snapshot(): Observations {
    const out: Observations = {};
    for (const [modelId, m] of this.byModel) out[modelId] = { reviews: { count: m.count, meanRobustness: m.sum / m.count } };
    return out;
  }
}
