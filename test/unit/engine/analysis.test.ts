import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeRequest, describeDifficulty, route } from '../../../src/engine';
import { withoutPastedMaterial } from '../../../src/engine/analysis';
import { AUTH_REQUEST, defaultConfig, RENAME_REQUEST } from '../../support/builders';

describe('request analysis', () => {
  it('rates the auth-system request hard and security-critical', () => {
    const a = analyzeRequest({ text: AUTH_REQUEST });
    assert.ok(a.difficulty >= 0.6, `difficulty ${a.difficulty}`);
    assert.ok(a.criticality >= 0.5, `criticality ${a.criticality}`);
    assert.ok(a.domains.includes('security'));
    assert.ok(a.domains.includes('data'));
    assert.equal(a.strengthsCalledFor.security, 1);
  });

  it('rates a rename trivial and calls for speed', () => {
    const a = analyzeRequest({ text: RENAME_REQUEST });
    assert.ok(a.difficulty < 0.2, `difficulty ${a.difficulty}`);
    assert.equal(a.criticality, 0);
    assert.equal(a.strengthsCalledFor.speed, 1);
    assert.equal(describeDifficulty(a.difficulty), 'trivial');
  });

  it('finds the domains a request touches', () => {
    const cases: [string, string][] = [
      ['fix the deadlock between the two worker threads', 'concurrency'],
      ['add a REST endpoint for invoices', 'api'],
      ['make the modal button keyboard accessible in React', 'ui'],
      ['write unit tests for the parser', 'tests'],
      ['refactor the settings module into smaller files', 'refactor'],
      ['update the README with install steps', 'docs'],
      ['add a migration that adds an index to the orders table', 'data'],
    ];
    for (const [text, domain] of cases) {
      assert.ok(analyzeRequest({ text }).domains.includes(domain as never), `${domain} not found in "${text}"`);
    }
  });

  it('grows the token estimates with difficulty', () => {
    const easy = analyzeRequest({ text: RENAME_REQUEST });
    const hard = analyzeRequest({ text: AUTH_REQUEST });
    assert.ok(hard.estimatedOutputTokens > 5 * easy.estimatedOutputTokens);
    assert.ok(hard.estimatedInputTokens > easy.estimatedInputTokens);
  });

  it('counts a large selection as context and more difficulty, within a bound', () => {
    const bare = analyzeRequest({ text: 'add caching to this function' });
    const big = analyzeRequest({ text: 'add caching to this function', selectionLines: 2000 });
    assert.ok(big.difficulty > bare.difficulty);
    assert.ok(big.difficulty - bare.difficulty <= 0.1 + 1e-9);
    assert.ok(big.estimatedInputTokens >= bare.estimatedInputTokens + 2000 * 12);
    assert.ok((big.strengthsCalledFor['long-context'] ?? 0) > 0);
  });

  it('counts harder languages and several languages, within a bound', () => {
    const ts = analyzeRequest({ text: 'add a retry loop', languages: ['typescript'] });
    const rust = analyzeRequest({ text: 'add a retry loop', languages: ['rust', 'python'] });
    assert.ok(rust.difficulty > ts.difficulty);
    assert.ok(rust.difficulty - ts.difficulty <= 0.1 + 1e-9);
  });

  it('treats a tangled session as harder, within a bound', () => {
    const clean = analyzeRequest({ text: 'add a retry loop' });
    const tangled = analyzeRequest({ text: 'add a retry loop', patternProfile: { LOGIC_SPIRAL: 50, ERROR_SWALLOWING: 50 } });
    const positive = analyzeRequest({ text: 'add a retry loop', patternProfile: { CLEAN_ARCHITECTURE: 50 } });
    assert.ok(tangled.difficulty > clean.difficulty);
    assert.ok(tangled.difficulty - clean.difficulty <= 0.08 + 1e-9);
    assert.equal(positive.difficulty, clean.difficulty);
  });

  describe('pasted material', () => {
    const PROSE = 'Calling parse_date on a value with a timezone fails with the error below. It should keep the offset.';
    const CODE = ['```python', 'from dates import parse_date', ...Array.from({ length: 30 }, (_, i) => `v${i} = parse_date("2020-01-${10 + (i % 20)}T00:00:00+01:00", a, b, c)`), '```'];
    const TRACEBACK = [
      'Traceback (most recent call last):',
      ...Array.from({ length: 12 }, (_, i) => `  File "/src/dates/core_${i}.py", line ${10 * i + 3}, in step_${i}\n    return inner(value, offset, zone)`),
      'ValueError: offset, zone and value disagree',
    ];

    it('leaves pasted code and tracebacks out of the length and list counts', () => {
      const pasted = [PROSE, '', ...CODE, '', 'raises', '', ...TRACEBACK, ''].join('\n');
      const prose = analyzeRequest({ text: PROSE });
      const full = analyzeRequest({ text: pasted });
      assert.ok(pasted.split(/\s+/).length > 8 * PROSE.split(/\s+/).length, 'the pasted text is long enough to have mattered');
      // "raises" is the one written word the pasted version adds.
      assert.ok(Math.abs(full.difficulty - prose.difficulty) < 0.01, `${full.difficulty} with pasted material, ${prose.difficulty} without`);
      assert.deepEqual(full.reasons, prose.reasons, 'the commas in the code are no list of deliverables');
      assert.ok(full.estimatedInputTokens > prose.estimatedInputTokens, 'the pasted text still counts as input to read');
    });

    it('still reads keywords in pasted material', () => {
      const a = analyzeRequest({ text: ['It breaks:', ...TRACEBACK].join('\n') });
      assert.ok(a.reasons.includes('debugging'), a.reasons.join(', '));
    });

    it('keeps prose lines and drops fences, tracebacks, prompts, quotes and indented code', () => {
      const text = [
        'first line of prose',
        '~~~',
        'inside a tilde fence',
        '~~~',
        '>>> parse_date(x)',
        '... more input',
        '$ python -m pytest',
        '> quoted from the docs',
        '    indented code',
        '\ttab-indented code',
        'Traceback (most recent call last):',
        '  File "a.py", line 1, in <module>',
        'KeyError: 1',
        '',
        'last line of prose',
        '```',
        'an unclosed fence runs to the end',
      ].join('\n');
      assert.equal(withoutPastedMaterial(text), ['first line of prose', '', 'last line of prose'].join('\n'));
      assert.equal(withoutPastedMaterial('plain request, no paste'), 'plain request, no paste');
    });
  });

  it('stays within [0.02, 0.98] whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const a = analyzeRequest({ text });
        return a.difficulty >= 0.02 && a.difficulty <= 0.98 && a.criticality >= 0 && a.criticality <= 1;
      }),
    );
  });

  describe('no single keyword moves a score by more than a bounded amount', () => {
    // Every trigger word the analysis knows, one per group and some extra ones.
    const KEYWORDS = [
      'auth', 'jwt', 'password', 'sql', 'postgres', 'migration', 'deadlock', 'thread', 'api', 'graphql',
      'react', 'css', 'tests', 'pytest', 'refactor', 'decouple', 'readme', 'docs', 'production', 'architecture',
      'distributed', 'entire', 'codebase', 'bug', 'traceback', 'algorithm', 'performance', 'retry', 'idempotent',
      'payments', 'billing', 'rename', 'typo', 'format',
    ];
    const BASES = ['add a helper that formats dates', 'update the handler', AUTH_REQUEST, RENAME_REQUEST, 'write a parser for the config file'];
    /** Largest change of a model's total a single keyword may cause. */
    const MAX_TOTAL_SHIFT = 0.25;
    /** Largest change of difficulty a single keyword may cause (the biggest group plus its list effect). */
    const MAX_DIFFICULTY_SHIFT = 0.35;

    it(`shifts difficulty by at most ${MAX_DIFFICULTY_SHIFT} and any total by at most ${MAX_TOTAL_SHIFT}`, () => {
      const config = defaultConfig();
      fc.assert(
        fc.property(fc.constantFrom(...BASES), fc.constantFrom(...KEYWORDS), (base, keyword) => {
          const before = route(config, { text: base });
          const after = route(config, { text: `${base} ${keyword}` });
          const shift = Math.abs(after.analysis.difficulty - before.analysis.difficulty);
          assert.ok(shift <= MAX_DIFFICULTY_SHIFT, `"${keyword}" moved difficulty of "${base}" by ${shift}`);
          for (const s of after.scores) {
            const prev = before.scores.find((p) => p.modelId === s.modelId);
            assert.ok(prev);
            const d = Math.abs(s.totalScore - prev.totalScore);
            assert.ok(d <= MAX_TOTAL_SHIFT, `"${keyword}" moved ${s.modelId}'s total for "${base}" by ${d}`);
          }
        }),
        { numRuns: 300, seed: 42 },
      );
    });

    it('counts a keyword once however often it is repeated', () => {
      const once = analyzeRequest({ text: 'build the auth flow' });
      const many = analyzeRequest({ text: 'build the auth flow auth auth auth jwt jwt oauth login password' });
      assert.equal(many.criticality, once.criticality);
    });
  });
});
