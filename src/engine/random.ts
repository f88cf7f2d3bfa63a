/**
 * Deterministic randomness for the learner. The engine never draws its own random numbers: the
 * caller passes a `random()` (uniform on [0, 1)), and replays and tests build one from a seed.
 */

/** A uniform random source on [0, 1), as `Math.random` is. */
export type RandomSource = () => number;

/**
 * A seeded uniform source (mulberry32: 32-bit state, passes the usual small-crush checks, more
 * than enough for sampling posteriors). The same seed always yields the same sequence.
 */
export function seededRandom(seed: number): RandomSource {
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a of a string: stable across runs and platforms, for deterministic bucketing. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A standard normal draw (Box–Muller); uses two uniforms. */
export function sampleNormal(random: RandomSource): number {
  // 1 - u keeps the logarithm finite when the source returns exactly 0.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A Gamma(shape, 1) draw (Marsaglia–Tsang; shapes below 1 through the usual power boost). */
export function sampleGamma(shape: number, random: RandomSource): number {
  if (shape < 1) {
    const boost = Math.pow(1 - random(), 1 / shape);
    return sampleGamma(shape + 1, random) * boost;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  // The acceptance rate is above 95% for every shape; the bound only guards a broken source.
  for (let i = 0; i < 1000; i++) {
    const x = sampleNormal(random);
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
  return shape;
}

/** A Beta(alpha, beta) draw, as the ratio of two Gamma draws. */
export function sampleBeta(alpha: number, beta: number, random: RandomSource): number {
  const x = sampleGamma(alpha, random);
  const y = sampleGamma(beta, random);
  return x + y > 0 ? x / (x + y) : alpha / (alpha + beta);
}
