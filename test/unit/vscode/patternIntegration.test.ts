import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import * as patterns from '../../../src/patterns';
import { PatternIntegration } from '../../../src/vscode/patternIntegration';

const log = { warn: () => undefined, error: () => undefined, info: () => undefined, debug: () => undefined } as unknown as vscode.LogOutputChannel;

const SOURCE = [
  "import { readFileSync } from 'node:fs';", // 0
  '', // 1
  'export function loadConfig(file: string): string {', // 2
  '  try {', // 3
  "    return readFileSync(file, 'utf8');", // 4
  '  } catch (e) {', // 5
  '  }', // 6
  "  return '';", // 7
  '}', // 8
].join('\n');
const URI = 'file:///work/src/loader.ts';

function analysed(p: PatternIntegration): Promise<void> {
  return new Promise((resolve) => {
    const sub = p.onDidChange(() => {
      sub.dispose();
      resolve();
    });
  });
}

describe('vscode/patternIntegration', () => {
  it('loads the detectors only on the first analysed edit', () => {
    let loads = 0;
    const p = new PatternIntegration(log, () => {
      loads++;
      return patterns;
    });
    assert.equal(p.profile(), undefined);
    assert.deepEqual(p.summary(), []);
    assert.deepEqual(p.findingsIn(URI, 0, 100), []);
    assert.equal(loads, 0);
    p.update(URI, 'typescript', SOURCE);
    assert.equal(loads, 1);
    p.dispose();
  });

  it('reports findings, the function and places with 0-based lines', async () => {
    const p = new PatternIntegration(log, () => patterns);
    const done = analysed(p);
    p.update(URI, 'typescript', SOURCE);
    await done;
    const findings = p.findingsIn(URI, 2, 8);
    const swallow = findings.find((f) => f.pattern === 'ERROR_SWALLOWING');
    assert.ok(swallow, JSON.stringify(findings));
    assert.ok(swallow.startLine >= 2 && swallow.endLine <= 8, JSON.stringify(swallow));
    assert.ok(swallow.reason.length > 0);
    assert.deepEqual(p.functionAt(URI, 4), { name: 'loadConfig', startLine: 2, endLine: 8 });
    assert.ok((p.profile()?.ERROR_SWALLOWING ?? 0) > 0);
    const place = p.summary().find((s) => s.pattern === 'ERROR_SWALLOWING')?.places[0];
    assert.deepEqual(place, { uri: URI, line: swallow.startLine, label: `loader.ts:${swallow.startLine + 1}` });
    p.dispose();
  });

  describe('cross-file detectors', () => {
    const A = 'file:///work/src/a.ts';
    const B = 'file:///work/src/b.ts';
    const cycle = (p: PatternIntegration): boolean => p.findingsIn(A, 0, 10).some((f) => f.pattern === 'TIGHT_COUPLING');
    /** Resolves once `check` holds after a change event, or false after `ms`. */
    const changeUntil = (p: PatternIntegration, check: () => boolean, ms: number): Promise<boolean> =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          sub.dispose();
          resolve(false);
        }, ms);
        const sub = p.onDidChange(() => {
          if (!check()) return;
          clearTimeout(timer);
          sub.dispose();
          resolve(true);
        });
      });
    const edit = (p: PatternIntegration): void => {
      p.update(A, 'typescript', "import { b } from './b';\nexport const a = () => b();\n");
      p.update(B, 'typescript', "import { a } from './a';\nexport const b = () => a();\n");
    };

    it('run when edits pause, without a save: an import cycle between two open files', async () => {
      const p = new PatternIntegration(log, () => patterns, { idleMs: 20 });
      const found = changeUntil(p, () => cycle(p), 5000);
      edit(p);
      assert.equal(await found, true, 'TIGHT_COUPLING after the pause');
      p.dispose();
    });

    it('wait for a save while the tracked files are over the line budget', async () => {
      const p = new PatternIntegration(log, () => patterns, { idleMs: 20, maxIdleLines: 1 });
      const found = changeUntil(p, () => cycle(p), 400);
      edit(p);
      assert.equal(await found, false, 'no cross-file run while over budget');
      p.save(A);
      assert.equal(cycle(p), true, 'the save runs them');
      p.dispose();
    });
  });

  it('skips languages it has no grammar for and says nothing when loading fails', () => {
    const p = new PatternIntegration(log, () => {
      throw new Error('no bundle');
    });
    p.update(URI, 'typescript', SOURCE);
    p.update(URI, 'typescript', SOURCE);
    assert.equal(p.profile(), undefined);
    const q = new PatternIntegration(log, () => patterns);
    q.update('file:///x.md', 'markdown', '# hi');
    assert.deepEqual(q.summary(), []);
    p.dispose();
    q.dispose();
  });
});
