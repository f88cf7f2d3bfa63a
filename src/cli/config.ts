import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, formatIssue, overlayFromObject, parseConfigText, parseDefaultLayer, resolveConfig } from '../engine';
import type { ParseResult, ResolveResult } from '../engine';
import { UsageError } from './io';
import type { CliIO } from './io';

/** Extra layer from flags (`--weights`), shaped like `routing.convergence`. */
export type FlagOverlay = Record<string, unknown>;

/**
 * The embedded default, then the `--config` file, then flag overrides. Any config error
 * becomes a one-line {@link UsageError} naming file, line, column, key path and value.
 */
export function loadCliConfig(io: CliIO, configPath: string | undefined, flags?: FlagOverlay): ResolveResult {
  try {
    const layers: ParseResult[] = [parseDefaultLayer(io.env)];
    if (configPath !== undefined) {
      const file = path.resolve(io.cwd, configPath);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read config file ${configPath}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      layers.push(parseConfigText(text, { file: configPath, env: io.env }));
    }
    if (flags) layers.push(overlayFromObject(flags, 'command line'));
    const resolved = resolveConfig(layers.map((l) => l.layer));
    return { config: resolved.config, warnings: [...layers.flatMap((l) => l.warnings), ...resolved.warnings] };
  } catch (err) {
    if (err instanceof ConfigError) {
      const first = err.issues[0];
      throw new UsageError(first ? formatIssue(first) + (err.issues.length > 1 ? ` (and ${err.issues.length - 1} more)` : '') : err.message);
    }
    throw err;
  }
}

/** `convergence=.5,cost=.3` → `{weights: {convergence: 0.5, cost: 0.3}}`. */
export function parseWeightsFlag(value: string): FlagOverlay {
  const weights: Record<string, number> = {};
  for (const part of value.split(',')) {
    const m = /^\s*([A-Za-z]+)\s*=\s*([0-9]*\.?[0-9]+)\s*$/.exec(part);
    if (!m?.[1] || m[2] === undefined) {
      throw new UsageError(`--weights: cannot read "${part.trim()}"; expected name=number, e.g. --weights convergence=.5,cost=.3`);
    }
    weights[m[1]] = Number(m[2]);
  }
  const known = ['convergence', 'latency', 'cost', 'patternMatch'];
  const unknown = Object.keys(weights).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new UsageError(`--weights: unknown weight "${unknown[0]}"; known: ${known.join(', ')}`);
  return { weights };
}
