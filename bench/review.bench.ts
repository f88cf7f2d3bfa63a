// Routing throughput while 20 reviews hang on a slow Messages API server on 127.0.0.1, against
// the same routing with no review under way, in the same run. Routing never awaits a review,
// so the only cost of stalled reviews is whatever their open sockets take from the event loop.
// Phases alternate in ABBA order (none, stalled, stalled, none, ...) so drift in CPU speed or
// JIT state lands on both sides; each side's figure is the median of its phases.
// The recorded rate is per second of this process's CPU time (user + system, all threads):
// on a shared 2-core machine other processes swing wall-clock rates by 2-3x between phases,
// while any work the stalled sockets cause in this process is still counted. Wall-clock rates
// are printed beside it.
import { performance } from 'node:perf_hooks';
import { loadDefaultConfig, route } from '../src/engine';
import type { ReviewSettings, RouteRequest } from '../src/engine';
import { CodeReviewer } from '../src/review';
import { MessagesServer } from '../test/support/messages-server';
import { fmt, percentile, recordResult } from './support';

const STALLED = 20;
const ROUNDS = 30;
/** Decisions per phase: a bounded loop, in batches with an event-loop turn between them. */
const BATCHES = 60;
const TARGET_RATIO = 1.1;

const config = loadDefaultConfig({}).config;
const REQUESTS: RouteRequest[] = [
  'Build a production auth system with JWT, PostgreSQL, email verification',
  'rename variable x to count in utils.ts',
  'fix the race condition in the job queue worker',
  'add tests for the CSV parser so it handles quoted commas',
  'document the payment webhook handler with retries and idempotency keys',
].map((text, i) => ({ text, ...(i % 2 === 0 ? { patternProfile: { LOGIC_SPIRAL: i, ERROR_SWALLOWING: 1 } } : {}) }));

let sink = 0;

interface Rate {
  /** Decisions per second of process CPU time. */
  cpu: number;
  /** Decisions per second of wall-clock time. */
  wall: number;
}

/** Routes BATCHES × 100 requests, reading the reviewer's context each time as the extension does. */
async function phase(reviewer: CodeReviewer): Promise<Rate> {
  let decisions = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let b = 0; b < BATCHES; b++) {
    for (let i = 0; i < 100; i++) {
      const d = route(config, REQUESTS[i % REQUESTS.length] as RouteRequest, reviewer.routeContext());
      sink += d.scores.length;
      decisions++;
    }
    // Let pending I/O callbacks (the stalled sockets, timers) run between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const cpu = process.cpuUsage(cpuStart);
  return { cpu: decisions / ((cpu.user + cpu.system) / 1e6), wall: decisions / ((performance.now() - start) / 1000) };
}

async function main(): Promise<void> {
  const server = await MessagesServer.start();
  server.setDefault({ kind: 'stall' });
  const settings: ReviewSettings = {
    enabled: true,
    endpoint: server.url,
    model: 'review-model-under-test',
    timeoutMs: 10 * 60_000,
    cache: false,
    cacheTtlMs: 24 * 3600_000,
    maxCodeChars: 2000,
  };
  const make = (): CodeReviewer => new CodeReviewer({ settings, env: { ANTHROPIC_API_KEY: 'sk-ant-bench-key-0000000000' } });

  const idle = make();
  for (let i = 0; i < 3; i++) await phase(idle); // warm-up, not counted
  const without: Rate[] = [];
  const withStalls: Rate[] = [];
  let requests = 0;
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) without.push(await phase(idle));

    const busy = make();
    const pending = Array.from({ length: STALLED }, (_, i) => busy.requestReview({ code: `export const value${round}_${i} = ${i};`, modelId: 'claude-sonnet-4.5' }));
    requests += STALLED;
    await server.waitForRequests(requests);
    if (server.stalled !== STALLED || busy.status().inFlight !== STALLED) throw new Error(`expected ${STALLED} stalled reviews, have ${server.stalled}`);
    withStalls.push(await phase(busy));
    if (server.stalled !== STALLED) throw new Error('a stalled review ended during the measurement');
    busy.dispose();
    const outcomes = await Promise.all(pending);
    if (outcomes.some((o) => o.ok || o.error.kind !== 'cancelled')) throw new Error('stalled reviews should end cancelled');
    // The server sees the hang-ups a few turns later; measure "none" only once they are gone.
    for (let i = 0; i < 1000 && server.stalled > 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    if (server.stalled > 0) throw new Error(`${server.stalled} stalled requests did not close after dispose`);

    if (round % 2 === 1) without.push(await phase(idle));
  }
  await server.close();

  const median = (rates: Rate[], key: keyof Rate): number => percentile(rates.map((r) => r[key]), 50);
  const base = median(without, 'cpu');
  const value = median(withStalls, 'cpu');
  const ratio = base / value;
  console.log(`without reviews: ${without.map((r) => fmt(r.cpu)).join(', ')} decisions per CPU-second`);
  console.log(`${STALLED} stalled:      ${withStalls.map((r) => fmt(r.cpu)).join(', ')} decisions per CPU-second`);
  const wallBase = median(without, 'wall');
  const wallValue = median(withStalls, 'wall');
  console.log(`wall clock (medians): ${fmt(wallBase)} without, ${fmt(wallValue)} with ${STALLED} stalled decisions/s, ratio ${fmt(wallBase / wallValue)}`);
  recordResult({ name: 'route-with-stalled-reviews', value, unit: 'decisions/CPU-s', baseline: base, ratio });
  console.log(`route-with-stalled-reviews: ratio ${fmt(ratio)} (decisions/s without stalls over with; target ≤ ${TARGET_RATIO}) — ${ratio <= TARGET_RATIO ? 'MET' : 'MISSED'}`);
  if (sink < 0) console.log(sink);
}

void main();
