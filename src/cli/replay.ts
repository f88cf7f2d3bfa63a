import { accessSync, constants, createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Learner, replayBaselines, replayClock, ReplaySession, RoutingPolicy, seededRandom } from '../engine';
import type { Baselines, ModelProfile, ReplayEvent, ReplayTask, ReplayTaskResult, RevealedOutcome, RoutingConfig } from '../engine';
import { loadCliConfig, parseWeightsFlag } from './config';
import { parseFlags, UsageError } from './io';
import type { CliIO, Command } from './io';
import { SWEBENCH_ATTRIBUTION, SWEBENCH_EXCLUDED_MODELS, SWEBENCH_PROFILE_IDS } from './swebench';
import { table } from './table';

const USAGE =
  'convergence-route replay --tasks F.jsonl --outcomes F.csv [--weights convergence=.5,cost=.3] [--escalate N] [--split all|even|odd] [--seed S] [--json]' +
  ' [--config F] [--no-learning] [--warmup N] [--rollout P] [--latency steps|none]';

/** A recorded attempt: its outcome, cost and agent steps (`api_calls`, when the file has them). */
export interface RecordedOutcome extends RevealedOutcome {
  apiCalls: number | undefined;
}

/** Outcomes by task, then by the data's model id. */
export type OutcomeRecords = Map<string, Map<string, RecordedOutcome>>;

/**
 * Output tokens assumed per agent step when the replay models an attempt's wall time from its
 * recorded steps: mini-SWE-agent steps are a short thought and one shell command.
 */
export const STEP_OUTPUT_TOKENS = 250;

/**
 * The records have no wall time; `api_calls` (agent steps) is their only speed signal. An
 * attempt's latency is modelled as its recorded steps times one step at the profile's speed
 * (time to first token, then {@link STEP_OUTPUT_TOKENS} tokens). The step count is real; the
 * per-step time is the profile's, so the learner learns how many steps a model takes.
 */
export function modelledLatencyMs(profile: ModelProfile, apiCalls: number): number {
  return apiCalls * (profile.speed.ttftMs + (1000 * STEP_OUTPUT_TOKENS) / profile.speed.outputTokensPerSec);
}

const CSV_COLUMNS = ['instance_id', 'model_id', 'resolved', 'cost_usd'] as const;

/**
 * Reads the per-instance CSV. Every problem names the file, the line and the column; excluded
 * runs are dropped here. Plain comma split: the file has no quoted fields, and a quote is
 * reported rather than misread.
 */
export function parseOutcomesCsv(text: string, file: string): OutcomeRecords {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const col: Record<string, number> = {};
  for (const name of CSV_COLUMNS) {
    const i = header.indexOf(name);
    if (i < 0) throw new UsageError(`${file}:1: missing column "${name}" in the header (got ${header.join(',')})`);
    col[name] = i;
  }
  const callsCol = header.indexOf('api_calls');
  const records: OutcomeRecords = new Map();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const where = `${file}:${i + 1}`;
    if (line.includes('"')) throw new UsageError(`${where}: quoted fields are not supported`);
    const cells = line.split(',');
    const cell = (name: (typeof CSV_COLUMNS)[number]): string => (cells[col[name] ?? -1] ?? '').trim();
    const instanceId = cell('instance_id');
    const modelId = cell('model_id');
    if (instanceId === '' || modelId === '') throw new UsageError(`${where}: empty instance_id or model_id`);
    if (SWEBENCH_EXCLUDED_MODELS.includes(modelId)) continue;
    const resolved = cell('resolved');
    if (resolved !== '0' && resolved !== '1') throw new UsageError(`${where}: resolved must be 0 or 1 (got "${resolved}")`);
    const costText = cell('cost_usd');
    const cost = Number(costText);
    if (costText === '' || !Number.isFinite(cost) || cost < 0) throw new UsageError(`${where}: cost_usd must be a number >= 0 (got "${costText}")`);
    let byModel = records.get(instanceId);
    if (!byModel) {
      byModel = new Map();
      records.set(instanceId, byModel);
    }
    if (byModel.has(modelId)) throw new UsageError(`${where}: a second row for ${instanceId} and ${modelId}`);
    let apiCalls: number | undefined;
    if (callsCol >= 0) {
      const callsText = (cells[callsCol] ?? '').trim();
      apiCalls = Number(callsText);
      if (!/^\d+$/.test(callsText)) throw new UsageError(`${where}: api_calls must be a whole number (got "${callsText}")`);
    }
    byModel.set(modelId, { resolved: resolved === '1', costUsd: cost, apiCalls });
  }
  return records;
}

/** Parses one JSONL line into what the router may see; names the line on any problem. */
export function parseTaskLine(line: string, where: string): ReplayTask {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new UsageError(`${where}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${where}: expected a JSON object per line`);
  const o = value as Record<string, unknown>;
  const field = (name: string): string => {
    const v = o[name];
    if (typeof v !== 'string' || v === '') throw new UsageError(`${where}: "${name}" must be a non-empty string (got ${JSON.stringify(v) ?? 'nothing'})`);
    return v;
  };
  return { instanceId: field('instance_id'), repo: field('repo'), problemStatement: field('problem_statement') };
}

/** Streams tasks from a JSONL file with their 0-based position in the file. */
async function* streamTasks(file: string, label: string): AsyncGenerator<{ task: ReplayTask; position: number }> {
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let position = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      yield { task: parseTaskLine(line, `${label}:${lineNo}`), position: position++ };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

function intFlag(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--${name}: expected a whole number from ${min} to ${max} (got "${value}")`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name}: expected a whole number from ${min} to ${max} (got ${n})`);
  return n;
}

/** The candidate profiles: the data's models that have a profile, with the data id of each. */
export function replayCandidates(config: RoutingConfig, records: OutcomeRecords): { profileToData: Map<string, string>; missing: string[] } {
  const dataModels = new Set<string>();
  for (const byModel of records.values()) for (const m of byModel.keys()) dataModels.add(m);
  const profileToData = new Map<string, string>();
  const missing: string[] = [];
  for (const dataId of [...dataModels].sort()) {
    const profileId = SWEBENCH_PROFILE_IDS[dataId];
    if (profileId && config.modelProfiles[profileId]) profileToData.set(profileId, dataId);
    else missing.push(dataId);
  }
  return { profileToData, missing };
}

/** The `--json` shape. */
export interface ReplayReport {
  policy: {
    name: string;
    learning: boolean;
    escalate: number;
    weights: RoutingConfig['weights'];
    rolloutPercent: number;
    exploration: { maxRequestShare: number; maxBudgetShare: number };
    seed: number | null;
    order: 'file' | 'shuffled';
    warmup: number;
    /** How attempt latency is revealed: modelled from recorded agent steps, or not at all. */
    latency: 'steps' | 'none';
    /** Profile id → the data's model id, for every candidate. */
    models: Record<string, string>;
    /** Data models with no profile yet, left out. */
    leftOut: string[];
  };
  split: 'all' | 'even' | 'odd';
  tasks: number;
  solved: number;
  costUsd: number;
  attempts: number;
  /** Modelled wall time of every attempt, in hours (with --latency steps). */
  latencyHours?: number;
  baselines: Baselines;
  decisions: { instanceId: string; attempts: { modelId: string; resolved: boolean; costUsd: number }[] }[];
  /** Exploratory decisions and spend over the whole run (warm-up included). */
  exploration: { decisions: number; explored: number; spendUsd: number; exploreSpendUsd: number };
  /** Per rollout arm, over the counted tasks; only when --rollout is below 100. */
  arms?: Record<string, { tasks: number; solved: number; costUsd: number; attempts: number; latencyHours?: number }>;
  attribution: string;
}

/** Runs a replay and returns the report; the CLI prints it. */
export async function runReplay(args: string[], io: CliIO, onEvent?: (e: ReplayEvent) => void): Promise<{ report: ReplayReport; json: boolean }> {
  const { values } = parseFlags(
    args,
    {
      tasks: { type: 'string' },
      outcomes: { type: 'string' },
      weights: { type: 'string' },
      escalate: { type: 'string' },
      split: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
      config: { type: 'string' },
      'no-learning': { type: 'boolean' },
      latency: { type: 'string' },
      warmup: { type: 'string' },
      rollout: { type: 'string' },
    },
    USAGE,
  );
  if (values.tasks === undefined) throw new UsageError(`missing --tasks; usage: ${USAGE}`);
  if (values.outcomes === undefined) throw new UsageError(`missing --outcomes; usage: ${USAGE}`);
  const split = values.split ?? 'all';
  if (split !== 'all' && split !== 'even' && split !== 'odd') throw new UsageError(`--split: expected all, even or odd (got "${split}")`);
  const escalate = intFlag(values.escalate, 'escalate', 0, 23, 0);
  const warmup = intFlag(values.warmup, 'warmup', 0, 1_000_000, 0);
  const rolloutPercent = intFlag(values.rollout, 'rollout', 0, 100, 100);
  const seed = values.seed === undefined ? undefined : intFlag(values.seed, 'seed', 0, 2 ** 31 - 1, 0);
  const learning = values['no-learning'] !== true;
  const latencyMode = values.latency ?? 'steps';
  if (latencyMode !== 'steps' && latencyMode !== 'none') throw new UsageError(`--latency: expected steps or none (got "${latencyMode}")`);

  // The records' models are the candidates; the default deny list (models Kilo cannot drive,
  // such as ones without tool calling) does not apply to runs that already happened.
  const overlay = { selection: { deny: [] }, ...(values.weights === undefined ? {} : parseWeightsFlag(values.weights)) };
  const { config, warnings } = loadCliConfig(io, values.config, overlay);
  for (const w of warnings) io.err(`warning: ${w}`);

  const outcomesFile = path.resolve(io.cwd, values.outcomes);
  let csv: string;
  try {
    csv = readFileSync(outcomesFile, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --outcomes ${values.outcomes}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const records = parseOutcomesCsv(csv, values.outcomes);
  const { profileToData, missing } = replayCandidates(config, records);
  if (profileToData.size === 0) throw new UsageError(`${values.outcomes}: none of its models has a router profile; mapping in src/cli/swebench.ts`);
  if (missing.length > 0) io.err(`warning: no router profile yet for ${missing.length} model(s) in the records, left out: ${missing.join(', ')}`);
  const models = [...profileToData.keys()];

  const tasksFile = path.resolve(io.cwd, values.tasks);
  try {
    accessSync(tasksFile, constants.R_OK);
  } catch (err) {
    throw new UsageError(`cannot read --tasks ${values.tasks}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }

  const clock = replayClock();
  const random = seededRandom(seed === undefined ? 0 : seed ^ 0x5bd1e995);
  const learner = new Learner();
  const policy = new RoutingPolicy(config, learner, { now: clock.now, random }, { learning, rolloutPercent });
  const session = new ReplaySession(policy, clock, { models, maxAttempts: escalate + 1, onEvent });

  const reveal = (instanceId: string, profileId: string): RevealedOutcome => {
    const dataId = profileToData.get(profileId);
    const o = dataId === undefined ? undefined : records.get(instanceId)?.get(dataId);
    if (!o) throw new UsageError(`${values.outcomes}: no outcome for task ${instanceId} and model ${dataId ?? profileId}`);
    const profile = config.modelProfiles[profileId];
    const latencyMs = latencyMode === 'steps' && profile && o.apiCalls !== undefined && o.apiCalls > 0 ? modelledLatencyMs(profile, o.apiCalls) : undefined;
    return { resolved: o.resolved, costUsd: o.costUsd, latencyMs };
  };

  // Tasks in file order, or a seeded shuffle of all of them; the split is by file position.
  const inSplit = (position: number): boolean => split === 'all' || (split === 'even') === (position % 2 === 0);
  async function* ordered(): AsyncGenerator<ReplayTask> {
    if (seed === undefined) {
      for await (const { task, position } of streamTasks(tasksFile, values.tasks ?? '')) if (inSplit(position)) yield task;
      return;
    }
    const all: ReplayTask[] = [];
    for await (const { task, position } of streamTasks(tasksFile, values.tasks ?? '')) if (inSplit(position)) all.push(task);
    const shuffle = seededRandom(seed);
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(shuffle() * (i + 1));
      [all[i], all[j]] = [all[j] as ReplayTask, all[i] as ReplayTask];
    }
    yield* all;
  }

  const counted: { task: ReplayTask; result: ReplayTaskResult }[] = [];
  const seen = new Set<string>();
  let index = 0;
  for await (const task of ordered()) {
    if (seen.has(task.instanceId)) throw new UsageError(`${values.tasks}: task ${task.instanceId} appears twice`);
    seen.add(task.instanceId);
    const byModel = records.get(task.instanceId);
    const absent = [...profileToData.values()].filter((m) => !byModel?.has(m));
    if (absent.length > 0) throw new UsageError(`${values.outcomes}: no row for task ${task.instanceId} and model(s) ${absent.join(', ')}`);
    const result = session.run(task, reveal);
    if (index >= warmup) counted.push({ task, result });
    index++;
  }
  if (counted.length === 0) throw new UsageError(`no task left to count (${index} streamed, --warmup ${warmup})`);

  const outcomeOf = (instanceId: string, profileId: string): RevealedOutcome => reveal(instanceId, profileId);
  const baselines = replayBaselines(
    config,
    counted.map((c) => c.task),
    models,
    outcomeOf,
  );
  const dataIdOf = (profileId: string): string => profileToData.get(profileId) ?? profileId;
  for (const b of Object.values(baselines) as { modelId?: string | undefined }[]) if (b.modelId !== undefined) b.modelId = dataIdOf(b.modelId);

  const sum = (rs: typeof counted) => {
    let latencyMs: number | undefined;
    for (const c of rs) for (const a of c.result.attempts) if (a.latencyMs !== undefined) latencyMs = (latencyMs ?? 0) + a.latencyMs;
    return {
      tasks: rs.length,
      solved: rs.filter((c) => c.result.solved).length,
      costUsd: rs.reduce((s, c) => s + c.result.costUsd, 0),
      attempts: rs.reduce((s, c) => s + c.result.attempts.length, 0),
      ...(latencyMs === undefined ? {} : { latencyHours: latencyMs / 3_600_000 }),
    };
  };
  const total = sum(counted);
  const report: ReplayReport = {
    policy: {
      name: `convergence${learning ? '+learning' : ' (priors only)'}${escalate > 0 ? `, escalate ${escalate}` : ''}`,
      learning,
      escalate,
      weights: config.weights,
      rolloutPercent,
      exploration: { ...policy.settings.exploration },
      seed: seed ?? null,
      order: seed === undefined ? 'file' : 'shuffled',
      warmup,
      latency: latencyMode,
      models: Object.fromEntries(profileToData),
      leftOut: missing,
    },
    split,
    ...total,
    baselines,
    decisions: counted.map((c) => ({
      instanceId: c.result.instanceId,
      attempts: c.result.attempts.map((a) => ({ modelId: dataIdOf(a.modelId), resolved: a.resolved, costUsd: a.costUsd })),
    })),
    exploration: policy.explorationStats(),
    attribution: SWEBENCH_ATTRIBUTION,
  };
  if (rolloutPercent < 100) {
    report.arms = {
      convergence: sum(counted.filter((c) => c.result.attempts[0]?.arm === 'convergence')),
      latency: sum(counted.filter((c) => c.result.attempts[0]?.arm === 'latency')),
    };
  }
  return { report, json: values.json === true };
}

const usd = (n: number): string => `$${n.toFixed(2)}`;

/** The readable form: the policy against its baselines, then how to read it. */
export function renderReplay(r: ReplayReport): string {
  const row = (name: string, model: string, x: { solved: number; costUsd: number; attempts: number; latencyHours?: number | undefined }): string[] => [
    name,
    model,
    String(x.solved),
    usd(x.costUsd),
    String(x.attempts),
    x.latencyHours === undefined ? '-' : `${x.latencyHours.toFixed(1)} h`,
  ];
  const rows = [
    row(r.policy.name, '(routed)', r),
    row('bestSingle', r.baselines.bestSingle.modelId ?? '-', r.baselines.bestSingle),
    row('cheapestSingle', r.baselines.cheapestSingle.modelId ?? '-', r.baselines.cheapestSingle),
    row('bestSingleInHindsight', r.baselines.bestSingleInHindsight.modelId ?? '-', r.baselines.bestSingleInHindsight),
    row('oracle', '(cheapest solver per task)', r.baselines.oracle),
  ];
  if (r.arms) for (const [arm, x] of Object.entries(r.arms)) rows.push(row(`  arm: ${arm}`, `${x.tasks} tasks`, x));
  const e = r.exploration;
  const share = (a: number, b: number): string => (b > 0 ? `${((100 * a) / b).toFixed(1)}%` : '0%');
  return [
    `Replay: ${r.tasks} tasks counted (split ${r.split}, ${r.policy.order} order${r.policy.warmup > 0 ? `, after ${r.policy.warmup} warm-up tasks` : ''}), ${Object.keys(r.policy.models).length} candidate models, seed ${r.policy.seed ?? 'none'}`,
    '',
    table(['policy', 'model', 'solved', 'cost', 'attempts', 'time (modelled)'], rows),
    '',
    `Exploration: ${e.explored} of ${e.decisions} decisions (${share(e.explored, e.decisions)}), ${usd(e.exploreSpendUsd)} of ${usd(e.spendUsd)} spent (${share(e.exploreSpendUsd, e.spendUsd)})`,
    ...(r.policy.leftOut.length > 0 ? [`Left out (no profile yet): ${r.policy.leftOut.join(', ')}`] : []),
    r.attribution,
  ].join('\n');
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { report, json } = await runReplay(args, io);
  io.out(json ? JSON.stringify(report, null, 2) : renderReplay(report));
  return 0;
}

export const replayCommand: Command = {
  name: 'replay',
  usage: USAGE,
  summary: 'replay recorded tasks through the learning router and compare with single-model baselines',
  run,
};
