import { loadCliConfig } from './config';
import { parseFlags } from './io';
import type { CliIO, Command } from './io';
import { table } from './table';

const USAGE = 'convergence-route profiles [--config F] [--json]';

function run(args: string[], io: CliIO): number {
  const { values } = parseFlags(args, { config: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  const { config, warnings } = loadCliConfig(io, values.config);
  for (const w of warnings) io.err(`warning: ${w}`);
  const profiles = Object.values(config.modelProfiles);
  if (values.json) {
    io.out(JSON.stringify(profiles, null, 2));
    return 0;
  }
  const rows = profiles.map((p) => [
    p.id,
    p.kiloModel ?? '-',
    p.baseConvergence.toFixed(3),
    p.evidence,
    `$${p.pricing.input}/$${p.pricing.output}`,
    `${p.speed.outputTokensPerSec} tok/s`,
    `${(p.speed.ttftMs / 1000).toFixed(1)}s`,
    `${Math.round(p.contextWindow / 1000)}k`,
  ]);
  io.out(table(['profile', 'kilo model', 'quality', 'evidence', 'price in/out per MTok', 'speed', 'ttft', 'context'], rows));
  io.out('\nSources:');
  for (const p of profiles) {
    io.out(`  ${p.id}`);
    for (const [figure, source] of Object.entries(p.source)) io.out(`    ${figure}: ${source}`);
  }
  return 0;
}

export const profilesCommand: Command = { name: 'profiles', usage: USAGE, summary: 'list the model profiles in force and their sources', run };
