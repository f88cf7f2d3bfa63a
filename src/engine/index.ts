/** The routing engine's public entry: pure TypeScript, no editor, no files, no clock. */
export * from './types';
export { ConfigError, ConfigStore, formatIssue, overlayFromObject, parseConfigText, parseDuration, resolveConfig } from './config';
export type { ConfigIssue, ConfigLayer, ConfigOverlay, LoadOutcome, ParseOptions, ParseResult, ProfileOverlay, ResolveResult } from './config';
export { DEFAULT_CONFIG_LABEL, DEFAULT_CONFIG_TEXT, loadDefaultConfig, parseDefaultLayer } from './defaults';
export { analyzeRequest, describeDifficulty } from './analysis';
export { findProfile, route, routingEnabled, RoutingError } from './router';
export type { RouteContext } from './router';
export { PATTERN_STRENGTHS, PRIOR_STRENGTH } from './scoring';
