// What learning costs per decision: the routing policy (learned observations, a Thompson draw
// for exploration, the cheap-first plan) against a plain route() of the same request, both on
// the default profiles, measured in the same run. The learner has seen 500 outcomes first.
import { Bench } from 'tinybench';
import { Learner, loadDefaultConfig, route, RoutingPolicy, seededRandom } from '../src/engine';
import { fmt, latencyOf, recordResult } from './support';

const REQUESTS = [
  'Build a production auth system with JWT, PostgreSQL, email verification',
  'rename variable x to count in utils.ts',
  'QuerySet.union() drops the ordering when combined with values_list(); calling order_by afterwards raises an error',
  'Fix the race condition in the job queue worker',
];

const { config } = loadDefaultConfig({});
let t = Date.UTC(2026, 10, 24);
const now = (): number => (t += 60_000);
const learner = new Learner();
const policy = new RoutingPolicy(config, learner, { now, random: seededRandom(1) });
const ids = Object.keys(config.modelProfiles);
for (let i = 0; i < 500; i++) {
  const d = policy.decide({ requestId: `warm-${i}`, request: { text: REQUESTS[i % REQUESTS.length] ?? '' }, workspace: `repo-${i % 5}`, attemptsLeft: 2 });
  policy.recordOutcome(d.turnId, { signal: { kind: 'verified', passed: i % 3 !== 0 }, costUsd: 0.05 + (i % 7) * 0.01, latencyMs: 20_000 });
}

let n = 0;
let sink = 0;
const bench = new Bench({ time: 1500, warmupTime: 300 });
bench
  .add('policy.decide, first attempt with a retry allowed', () => {
    const text = REQUESTS[n++ % REQUESTS.length] ?? '';
    sink += policy.decide({ requestId: `b-${n}`, request: { text }, workspace: 'repo-1', attemptsLeft: 2 }).selected.length;
  })
  .add('policy.decide, escalation after a failure', () => {
    const text = REQUESTS[n++ % REQUESTS.length] ?? '';
    sink += policy.decide({ requestId: `e-${n}`, request: { text }, workspace: 'repo-1', failed: [ids[n % ids.length] ?? ''], attemptsLeft: 1 }).selected.length;
  })
  .add('route, same requests, no learning', () => {
    const text = REQUESTS[n++ % REQUESTS.length] ?? '';
    sink += route(config, { text }).selected.length;
  });

void (async () => {
  await bench.run();
  console.table(bench.table());
  const ms = (name: string): number => latencyOf(bench, name).mean;
  const plain = ms('route, same requests, no learning');
  const first = ms('policy.decide, first attempt with a retry allowed');
  const escalate = ms('policy.decide, escalation after a failure');
  recordResult({ name: 'policy-decide', value: first, unit: 'ms', baseline: plain, ratio: first / plain });
  recordResult({ name: 'policy-escalate', value: escalate, unit: 'ms', baseline: plain, ratio: escalate / plain });
  console.log(`policy.decide: ${fmt(first)} ms per decision (${fmt(first / plain)}× a plain route() of ${fmt(plain)} ms), escalation ${fmt(escalate)} ms`);
  if (sink < 0) console.log(sink);
})();
