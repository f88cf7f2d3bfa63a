import { route, RoutingError } from '../engine';
import type { RoutingDecision } from '../engine';
import { loadCliConfig, parseWeightsFlag } from './config';
import { listFlag, parseFlags, UsageError } from './io';
import type { CliIO, Command } from './io';
import { table } from './table';

const USAGE = 'convergence-route route "<request>" [--config F] [--models a,b] [--weights convergence=.5,cost=.3] [--current MODEL] [--json]';

/** The `--json` shape: exactly what the issue names, best score first. */
export function decisionJson(d: RoutingDecision): object {
  return {
    selected: d.selected,
    confidenceLevel: d.confidenceLevel,
    recommendation: d.recommendation,
    warnings: d.warnings,
    mode: d.mode,
    scores: d.scores,
  };
}

function run(args: string[], io: CliIO): number {
  const { values, positionals } = parseFlags(
    args,
    {
      config: { type: 'string' },
      models: { type: 'string' },
      weights: { type: 'string' },
      current: { type: 'string' },
      json: { type: 'boolean' },
    },
    USAGE,
  );
  const text = positionals.join(' ').trim();
  if (text === '') throw new UsageError(`missing the request text; usage: ${USAGE}`);
  const { config, warnings } = loadCliConfig(io, values.config, values.weights === undefined ? undefined : parseWeightsFlag(values.weights));
  for (const w of warnings) io.err(`warning: ${w}`);
  let decision: RoutingDecision;
  try {
    decision = route(config, { text, models: listFlag(values.models), currentModel: values.current }, { env: io.env });
  } catch (err) {
    if (err instanceof RoutingError) throw new UsageError(err.message);
    throw err;
  }
  if (values.json) {
    io.out(JSON.stringify(decisionJson(decision), null, 2));
    return 0;
  }
  io.out(renderDecision(decision));
  return 0;
}

const f2 = (n: number | undefined): string => (n === undefined ? '-' : n.toFixed(2));

/** The readable form: one row per model, then the choice and why. */
export function renderDecision(d: RoutingDecision): string {
  const rows = d.scores.map((s) => [
    s.modelId === d.selected ? `* ${s.modelId}` : `  ${s.modelId}`,
    s.totalScore.toFixed(3),
    f2(s.breakdown.convergence),
    f2(s.breakdown.latencyNormalized),
    f2(s.breakdown.costNormalized),
    f2(s.breakdown.patternMatch),
    s.breakdown.robustness === undefined ? '-' : String(s.breakdown.robustness),
    `$${s.estimate.costUsd.toFixed(4)}`,
    `${(s.estimate.latencyMs / 1000).toFixed(1)}s`,
    s.confidenceLevel,
    !s.eligible ? 'left out' : s.clearsThresholds ? 'ok' : 'risky',
  ]);
  const out = [
    table(['model', 'total', 'converge', 'latency', 'cost', 'pattern', 'robust', 'est. cost', 'est. time', 'data', 'gate'], rows),
    '',
    `Selected:   ${d.selected}  (confidence ${d.confidenceLevel}, mode ${d.mode})`,
    `Why:        ${d.recommendation}`,
    `Request:    difficulty ${d.analysis.difficulty.toFixed(2)}, criticality ${d.analysis.criticality.toFixed(2)}${d.analysis.domains.length ? `, touches ${d.analysis.domains.join(', ')}` : ''}`,
  ];
  for (const w of d.warnings) out.push(`Warning:    ${w}`);
  if (d.mode === 'convergence' && d.scores.some((s) => !s.clearsThresholds)) {
    out.push('Note:       "risky" rows are below the thresholds and rank after every model that clears them.');
  }
  return out.join('\n');
}

export const routeCommand: Command = { name: 'route', usage: USAGE, summary: 'score every model for a request and pick one', run };
