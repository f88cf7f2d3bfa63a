import assert from 'node:assert/strict';
import { PATTERNS } from '../../../src/engine';
import { basicHeuristic } from '../../../src/review/heuristic';

const swallowing = 'function load(p) {\n  try {\n    return read(p);\n  } catch (e) {}\n}\n';
const careful = [
  'function load(p: string): string {',
  '  if (!p) throw new Error("path required");',
  '  try {',
  '    return read(p);',
  '  } catch (err) {',
  '    throw new LoadError(p, err);',
  '  }',
  '}',
].join('\n');
const spiral = 'function f(a) {\n if (a) {\n  if (b) {\n   if (c) {\n    if (d) {\n     if (e) { go(); }\n    }\n   }\n  }\n }\n}';

describe('basicHeuristic', () => {
  it('flags an empty catch as error swallowing and scores it below careful code', () => {
    const bad = basicHeuristic.review(swallowing);
    const good = basicHeuristic.review(careful);
    assert.deepEqual(bad.patterns, ['ERROR_SWALLOWING']);
    assert.deepEqual(good.patterns, ['ROBUST_ERROR_HANDLING']);
    assert.ok(bad.robustness < good.robustness, `${bad.robustness} < ${good.robustness}`);
  });

  it('flags deep nesting as a logic spiral and lowers readability', () => {
    const r = basicHeuristic.review(spiral);
    assert.ok(r.patterns.includes('LOGIC_SPIRAL'));
    assert.ok(r.codeQuality.readability < basicHeuristic.review('const x = 1;').codeQuality.readability);
  });

  it('keeps every figure in 0-100, patterns known, and says that no model reviewed the code', () => {
    for (const code of [swallowing, careful, spiral, '', '}'.repeat(500), 'catch {}'.repeat(50)]) {
      const r = basicHeuristic.review(code);
      const q = r.codeQuality;
      for (const n of [r.robustness, q.readability, q.maintainability, q.testability, q.security]) assert.ok(Number.isInteger(n) && n >= 0 && n <= 100, String(n));
      assert.ok(r.patterns.every((p) => (PATTERNS as readonly string[]).includes(p)));
      assert.match(r.reasoning.at(-1) ?? '', /no model reviewed this code/);
    }
  });
});
