import { loadDefaultConfig } from '../../src/engine';
import type { ModelProfile, RoutingConfig } from '../../src/engine';

/** A model profile with plausible figures; override what a test is about. */
export function aProfile(id: string, overrides: Partial<ModelProfile> = {}): ModelProfile {
  return {
    id,
    baseConvergence: 0.6,
    strengths: [],
    pricing: { input: 1, output: 5 },
    speed: { ttftMs: 1000, outputTokensPerSec: 60 },
    contextWindow: 200_000,
    kiloModel: `test/${id}`,
    evidence: 'measured',
    source: { all: 'test fixture' },
    ...overrides,
  };
}

/** A config holding exactly these profiles, with the design's default weights and thresholds. */
export function aConfig(profiles: ModelProfile[], overrides: Partial<RoutingConfig> = {}): RoutingConfig {
  const base = loadDefaultConfig({}).config;
  return {
    ...base,
    ...overrides,
    modelProfiles: Object.fromEntries(profiles.map((p) => [p.id, p])),
  };
}

/** The embedded default config, resolved with an empty environment. */
export function defaultConfig(): RoutingConfig {
  return loadDefaultConfig({}).config;
}

export const AUTH_REQUEST = 'Build a production auth system with JWT, PostgreSQL, email verification';
export const RENAME_REQUEST = 'rename variable x to count in utils.ts';
