import { syntheticModule } from './bench/patterns-fixture';
import { ParserHost, PatternTracker } from './src/patterns/index';
void (async () => {
  const text = syntheticModule(3000);
  const host = new ParserHost(); await host.ready('typescript');
  const tracker = new PatternTracker({ now: () => 0, host });
  await tracker.update('u', 'typescript', text);
  const ends: number[] = []; for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) ends.push(i);
  const s: number[] = [];
  for (let k = 0; k < 1500; k++) {
    const at = ends[(k * 7919) % ends.length]!;
    const t0 = performance.now();
    await tracker.update('u', 'typescript', [{ rangeOffset: at, rangeLength: 0, text: ' ' }]);
    s.push(performance.now() - t0);
    await tracker.update('u', 'typescript', [{ rangeOffset: at, rangeLength: 1, text: '' }]);
  }
  s.sort((a, b) => a - b); console.log('p50', s[750]!.toFixed(2), 'p95', s[1425]!.toFixed(2), 'p99', s[1485]!.toFixed(2));
})();
