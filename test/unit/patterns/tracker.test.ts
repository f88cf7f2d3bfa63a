import assert from 'node:assert/strict';
import { DETECTORS } from '../../../src/patterns/detectors';
import { ParserHost, PatternTracker, analyzeFiles, changedSpan } from '../../../src/patterns/index';
import type { LanguageId } from '../../../src/patterns/index';
import type { PatternLogger, TextChange } from '../../../src/patterns/index';
import { host } from './support';

const SPIRAL = `export function spiral(xs: number[]) {
  for (const x of xs) {
    if (x) {
      for (const y of xs) {
        if (y) {
          while (x > y) {
            break;
          }
        }
      }
    }
  }
}
`;
const SWALLOW = `export function quiet() {
  try {
    a();
    b();
  } catch (e) {}
}
`;

function recorder(): PatternLogger & { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  return { warnings, errors, warn: (m) => warnings.push(m), error: (m) => errors.push(m) };
}

function clock(start = 0): { now: () => number; set: (t: number) => void } {
  let t = start;
  return { now: () => t, set: (x) => (t = x) };
}

const insertAt = (text: string, line: number, insert: string): TextChange => {
  const offset = text.split('\n').slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0);
  return { rangeOffset: offset, rangeLength: 0, text: insert };
};

describe('patterns: PatternTracker', () => {
  it('reports findings for a full text and moves them when lines are inserted above', async () => {
    const tracker = new PatternTracker({ now: clock().now, host });
    await tracker.update('file:///a.ts', 'typescript', SPIRAL);
    const before = tracker.findings('file:///a.ts').find((f) => f.pattern === 'LOGIC_SPIRAL');
    assert.deepEqual([before?.startLine, before?.endLine], [1, 13]);
    await tracker.update('file:///a.ts', 'typescript', [insertAt(SPIRAL, 1, '// one\n// two\n')]);
    const after = tracker.findings('file:///a.ts').find((f) => f.pattern === 'LOGIC_SPIRAL');
    assert.deepEqual([after?.startLine, after?.endLine], [3, 15]);
  });

  it('applies an edit that removes the finding', async () => {
    const tracker = new PatternTracker({ now: clock().now, host });
    await tracker.update('file:///b.ts', 'typescript', SWALLOW);
    assert.ok(tracker.findings('file:///b.ts').some((f) => f.pattern === 'ERROR_SWALLOWING'));
    const at = SWALLOW.indexOf('{}');
    await tracker.update('file:///b.ts', 'typescript', [{ rangeOffset: at, rangeLength: 2, text: '{ report(e); }' }]);
    assert.ok(!tracker.findings('file:///b.ts').some((f) => f.pattern === 'ERROR_SWALLOWING'));
  });

  it('runs the cross-file detectors only on save or idle', async () => {
    const tracker = new PatternTracker({ now: clock().now, host });
    await tracker.update('/p/a.ts', 'typescript', "import { b } from './b';\nexport const a = 1;\n");
    await tracker.update('/p/b.ts', 'typescript', "import { a } from './a';\nexport const b = 2;\n");
    assert.ok(!tracker.findings('/p/a.ts').some((f) => f.pattern === 'TIGHT_COUPLING'));
    assert.equal(tracker.idle(), true);
    assert.ok(tracker.findings('/p/a.ts').some((f) => f.pattern === 'TIGHT_COUPLING'));
    assert.equal(tracker.idle(), false, 'nothing changed since');
    await tracker.update('/p/b.ts', 'typescript', 'export const b = 2;\n');
    tracker.save('/p/b.ts');
    assert.ok(!tracker.findings('/p/a.ts').some((f) => f.pattern === 'TIGHT_COUPLING'));
  });

  it('keeps at most maxFiles files, dropping the least recently edited', async () => {
    const tracker = new PatternTracker({ now: clock().now, host, maxFiles: 2 });
    await tracker.update('/a.ts', 'typescript', SPIRAL);
    await tracker.update('/b.ts', 'typescript', SWALLOW);
    await tracker.update('/a.ts', 'typescript', [insertAt(SPIRAL, 1, '\n')]);
    await tracker.update('/c.ts', 'typescript', 'export const c = 1;\n');
    assert.deepEqual(tracker.trackedFiles(), ['/a.ts', '/c.ts']);
    assert.deepEqual(tracker.findings('/b.ts'), []);
  });

  it('weights each file in the profile by the half-life of its last edit', async () => {
    const c = clock(0);
    const tracker = new PatternTracker({ now: c.now, host, halfLifeMs: 1000 });
    await tracker.update('/s.ts', 'typescript', SWALLOW); // 6 lines, one ERROR_SWALLOWING
    c.set(1000);
    await tracker.update('/z.ts', 'typescript', 'export const z = 1;\n'.repeat(7)); // 7 lines, none
    assert.deepEqual([tracker.report('/s.ts')?.lines, tracker.report('/z.ts')?.lines], [6, 7]);
    const p = tracker.profile(1000);
    // weights 0.5 and 1: 0.5 findings over 0.5 * 6 + 7 lines
    assert.equal(p.ERROR_SWALLOWING, 50);
    const later = tracker.profile(1_000_000);
    assert.ok((later.ERROR_SWALLOWING ?? 0) > 0, 'a faded session still has a profile');
  });

  it('answers a hover with the function at the line and its findings', async () => {
    const tracker = new PatternTracker({ now: clock().now, host });
    await tracker.update('/h.ts', 'typescript', SPIRAL + SWALLOW);
    const at = tracker.findingsAt('/h.ts', 6);
    assert.equal(at.function?.name, 'spiral');
    assert.ok((at.function?.depth ?? 0) >= 5);
    assert.ok(at.findings.some((f) => f.pattern === 'LOGIC_SPIRAL'));
    assert.ok(!at.findings.some((f) => f.pattern === 'ERROR_SWALLOWING'));
    const other = tracker.findingsAt('/h.ts', 18);
    assert.equal(other.function?.name, 'quiet');
    assert.ok(other.findings.some((f) => f.pattern === 'ERROR_SWALLOWING'));
  });

  it('isolates a failing detector, logs it once and keeps the others', async () => {
    const log = recorder();
    const tracker = new PatternTracker({ now: clock().now, host, logger: log });
    DETECTORS.push({ name: 'broken', run: () => { throw new Error('boom'); } });
    try {
      await tracker.update('/f.ts', 'typescript', SWALLOW);
      await tracker.update('/f.ts', 'typescript', [insertAt(SWALLOW, 1, '\n')]);
    } finally {
      DETECTORS.pop();
    }
    assert.ok(tracker.findings('/f.ts').some((f) => f.pattern === 'ERROR_SWALLOWING'));
    assert.equal(log.errors.length, 1);
    assert.match(log.errors[0] ?? '', /broken: boom/);
  });

  it('ignores unsupported languages and changes that arrive before the full text', async () => {
    const log = recorder();
    const tracker = new PatternTracker({ now: clock().now, host, logger: log });
    assert.equal(await tracker.update('/x.md', 'markdown', '# hi'), undefined);
    assert.equal(await tracker.update('/y.ts', 'typescript', [{ rangeOffset: 0, rangeLength: 0, text: 'x' }]), undefined);
    assert.match(log.warnings.join('\n'), /before its full text/);
  });

  it('reports a grammar that cannot be loaded and does not throw', async () => {
    const log = recorder();
    const broken = new ParserHost((name) => (name.includes('python') ? '/nonexistent/tree-sitter-python.wasm' : `${__dirname}/../../../node_modules/@vscode/tree-sitter-wasm/wasm/${name}`));
    const tracker = new PatternTracker({ now: clock().now, host: broken, logger: log });
    assert.equal(await tracker.update('/a.py', 'python', 'x = 1\n'), undefined);
    assert.match(log.errors.join('\n'), /python grammar/);
  });

  it('keeps updates in call order even when not awaited', async () => {
    const tracker = new PatternTracker({ now: clock().now, host });
    void tracker.update('/o.ts', 'typescript', 'export const a = 1;\n');
    void tracker.update('/o.ts', 'typescript', [{ rangeOffset: 0, rangeLength: 0, text: '// x\n' }]);
    await tracker.settled();
    assert.equal(tracker.report('/o.ts')?.lines, 2);
  });

  it('re-parses a whole new text incrementally once the file has a tree', async () => {
    /** Counts parses with and without the previous tree. */
    class CountingHost extends ParserHost {
      fresh = 0;
      incremental = 0;
      override parse(language: LanguageId, text: string, old?: Parameters<ParserHost['parse']>[2]): ReturnType<ParserHost['parse']> {
        if (old) this.incremental++;
        else this.fresh++;
        return super.parse(language, text, old);
      }
    }
    const counting = new CountingHost();
    const tracker = new PatternTracker({ now: clock().now, host: counting });
    await counting.ready('typescript'); // loading checks the grammar with parses of its own
    const parses = (): number[] => [counting.fresh, counting.incremental];
    const [fresh0 = 0, incremental0 = 0] = parses();
    await tracker.update('/w.ts', 'typescript', SPIRAL);
    assert.deepEqual(parses(), [fresh0 + 1, incremental0]);
    const edited = SPIRAL.replace('break;', 'break;\n') + SWALLOW;
    const report = await tracker.update('/w.ts', 'typescript', edited);
    assert.deepEqual(parses(), [fresh0 + 1, incremental0 + 1], 'the second whole text is an edit of the first');
    await tracker.update('/w.ts', 'typescript', edited);
    assert.deepEqual(parses(), [fresh0 + 1, incremental0 + 1], 'the same text again is not parsed at all');
    assert.ok(report?.findings.some((f) => f.pattern === 'ERROR_SWALLOWING'));
    tracker.idle();
    const batch = await analyzeFiles([{ file: '/w.ts', text: edited }], host);
    assert.deepEqual(tracker.findings('/w.ts'), batch.files[0]?.findings);
  });

  it('gives the same findings as a batch analysis of the same files', async () => {
    const tracker = new PatternTracker({ now: clock().now, host });
    await tracker.update('q/a.ts', 'typescript', SPIRAL);
    await tracker.update('q/b.ts', 'typescript', SWALLOW + SPIRAL);
    tracker.idle();
    const batch = await analyzeFiles([{ file: 'q/a.ts', text: SPIRAL }, { file: 'q/b.ts', text: SWALLOW + SPIRAL }], host);
    for (const f of batch.files) assert.deepEqual(tracker.findings(f.file), f.findings);
  });
});

describe('patterns: changedSpan', () => {
  const apply = (before: string, c: ReturnType<typeof changedSpan>): string => before.slice(0, c.rangeOffset) + c.text + before.slice(c.rangeOffset + c.rangeLength);
  const cases: [string, string][] = [
    ['abc', 'abc'],
    ['abc', 'abXc'],
    ['aaa', 'aaaa'],
    ['aaaa', 'aa'],
    ['', 'new'],
    ['old', ''],
    ['head middle tail', 'head other tail'],
    ['x\ud83d\ude00y', 'x\ud83d\ude01y'],
    ['x\ud83d\ude00y', 'x\ud83e\ude00y'],
  ];
  for (const [before, after] of cases) {
    it(`turns ${JSON.stringify(before)} into ${JSON.stringify(after)} with the smallest span`, () => {
      const c = changedSpan(before, after);
      assert.equal(apply(before, c), after);
      assert.ok(c.rangeOffset + c.rangeLength <= before.length);
      // No end of the span falls inside a surrogate pair.
      for (const at of [c.rangeOffset, c.rangeOffset + c.rangeLength]) {
        const code = before.charCodeAt(at);
        assert.ok(!(code >= 0xdc00 && code <= 0xdfff), `span edge ${at} splits a pair`);
      }
    });
  }

  it('keeps the common start and end out of the span', () => {
    assert.deepEqual(changedSpan('head middle tail', 'head other tail'), { rangeOffset: 5, rangeLength: 6, text: 'other' });
    assert.deepEqual(changedSpan('aaa', 'aaaa'), { rangeOffset: 3, rangeLength: 0, text: 'a' });
    assert.deepEqual(changedSpan('x\ud83d\ude00y', 'x\ud83d\ude01y'), { rangeOffset: 1, rangeLength: 2, text: '\ud83d\ude01' });
  });
});
