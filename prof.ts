import { syntheticModule } from './bench/patterns-fixture';
import { ParserHost, analyzeText } from './src/patterns/index';
void (async () => {
  const text = syntheticModule();
  const host = new ParserHost();
  await host.ready('typescript');
  const xs: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    analyzeText(host, 'x.ts', 'typescript', text);
    xs.push(performance.now() - t);
  }
  const p = xs.slice(5).sort((a, b) => a - b);
  console.log('full median', p[12]!.toFixed(1), 'min', p[0]!.toFixed(1));
})();
setTimeout(() => { const g = globalThis as unknown as Record<string, number>; for (const k of ['fns','logic-spiral','error-handling','premature-optimization','idempotent-operations','insufficient-validation','design-positives']) console.log(k, ((g[k] ?? 0) / 30).toFixed(2)); }, 4000);
