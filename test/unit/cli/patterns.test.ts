import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';

function io(cwd: string): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env: {}, cwd };
}

describe('cli: convergence-route patterns', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cli-patterns-'));
    const write = (rel: string, text: string): void => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    };
    write('src/a.ts', "import { b } from './b';\nexport function f() {\n  try {\n    b();\n    b();\n  } catch (e) {}\n}\n");
    write('src/b.ts', "import { f } from './a';\nexport const b = () => f();\n");
    write('src/util.py', 'def g():\n    try:\n        h()\n    except ValueError:\n        pass\n');
    write('node_modules/dep/index.js', 'try { a(); b(); } catch (e) {}\n');
    write('dist/out.js', 'try { a(); b(); } catch (e) {}\n');
    write('src/vendor.min.js', 'try{a();b()}catch(e){}\n');
    write('README.md', '# not code\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints exactly the issue\'s JSON shape, with 1-based lines', async () => {
    const t = io(dir);
    assert.equal(await main(['patterns', 'src', '--json'], t), 0);
    const json = JSON.parse(t.stdout.join('\n')) as { files: { file: string; language: string; findings: Record<string, unknown>[] }[]; profile: Record<string, number> };
    assert.deepEqual(Object.keys(json), ['files', 'profile']);
    assert.deepEqual(json.files.map((f) => f.file), ['src/a.ts', 'src/b.ts', 'src/util.py']);
    for (const f of json.files) {
      assert.deepEqual(Object.keys(f), ['file', 'language', 'findings']);
      for (const x of f.findings) assert.deepEqual(Object.keys(x), ['pattern', 'startLine', 'endLine', 'strength', 'message']);
    }
    const a = json.files[0];
    assert.equal(a?.language, 'typescript');
    assert.ok(a?.findings.some((x) => x.pattern === 'ERROR_SWALLOWING' && x.startLine === 6 && x.endLine === 6));
    assert.ok(a?.findings.some((x) => x.pattern === 'TIGHT_COUPLING' && x.startLine === 1));
    assert.ok((json.profile.ERROR_SWALLOWING ?? 0) > 0);
  });

  it('walks directories but skips node_modules, dist and minified files', async () => {
    const t = io(dir);
    assert.equal(await main(['patterns', '.', '--json'], t), 0);
    const files = (JSON.parse(t.stdout.join('\n')) as { files: { file: string }[] }).files.map((f) => f.file);
    assert.deepEqual(files, ['src/a.ts', 'src/b.ts', 'src/util.py']);
  });

  it('prints a readable list by default', async () => {
    const t = io(dir);
    assert.equal(await main(['patterns', 'src/util.py'], t), 0);
    const text = t.stdout.join('\n');
    assert.match(text, /src\/util\.py \(python, 5 lines\)/);
    assert.match(text, /4-5\s+ERROR_SWALLOWING\s+1\.00\s+except block only passes/);
    assert.match(text, /Profile \(findings per 1,000 lines\):/);
  });

  it('names a missing path and exits 2', async () => {
    const t = io(dir);
    assert.equal(await main(['patterns', 'nope.ts'], t), 2);
    assert.match(t.stderr.join('\n'), /no such file or directory: nope\.ts/);
  });

  it('rejects a file in a language it does not parse, and no arguments', async () => {
    const t = io(dir);
    assert.equal(await main(['patterns', 'README.md'], t), 2);
    assert.match(t.stderr.join('\n'), /README\.md: not a language/);
    const u = io(dir);
    assert.equal(await main(['patterns'], u), 2);
    assert.match(u.stderr.join('\n'), /name at least one file or directory/);
  });

  it('works from the bundle, loading the grammars it ships in dist/grammars', () => {
    const cli = path.resolve(__dirname, '../../../dist/cli.js');
    assert.ok(existsSync(cli), 'dist/cli.js is missing: npm test builds it first (npm run build)');
    assert.ok(existsSync(path.resolve(__dirname, '../../../dist/grammars/tree-sitter-python.wasm')));
    const r = spawnSync(process.execPath, [cli, 'patterns', 'src/util.py', 'src/a.ts', '--json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { files: { file: string; findings: { pattern: string }[] }[] };
    assert.deepEqual(json.files.map((f) => f.file), ['src/util.py', 'src/a.ts']);
    assert.ok(json.files.every((f) => f.findings.some((x) => x.pattern === 'ERROR_SWALLOWING')));
  });
});
