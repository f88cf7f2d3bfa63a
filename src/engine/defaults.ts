import defaultYaml from '../../config/convergence-routing.yaml';
import { parseConfigText, resolveConfig } from './config';
import type { ParseOptions, ParseResult, ResolveResult } from './config';

/** How the embedded default config is named in messages. */
export const DEFAULT_CONFIG_LABEL = 'config/convergence-routing.yaml (embedded)';

/** The default config's YAML text, as shipped inside the bundle. */
export const DEFAULT_CONFIG_TEXT: string = defaultYaml;

/** Parses the embedded default as the first layer of any config. */
export function parseDefaultLayer(env: ParseOptions['env']): ParseResult {
  return parseConfigText(DEFAULT_CONFIG_TEXT, { file: DEFAULT_CONFIG_LABEL, env });
}

/** The embedded default on its own, resolved. */
export function loadDefaultConfig(env: ParseOptions['env'] = {}): ResolveResult {
  const parsed = parseDefaultLayer(env);
  const resolved = resolveConfig([parsed.layer]);
  return { config: resolved.config, warnings: [...parsed.warnings, ...resolved.warnings] };
}
