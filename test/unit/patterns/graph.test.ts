import assert from 'node:assert/strict';
import { findingsOfAll } from './support';

const coupled = (fs: { pattern: string; file: string }[]): string[] => [...new Set(fs.filter((f) => f.pattern === 'TIGHT_COUPLING').map((f) => f.file))].sort();

describe('patterns: TIGHT_COUPLING from the import graph', () => {
  it('flags every module on a runtime import cycle', async () => {
    const found = await findingsOfAll({ 'src/a.ts': "import { b } from './b';\nexport const a = () => b();\n", 'src/b.ts': "import { c } from './c.js';\nexport const b = () => c();\n", 'src/c.ts': "import { a } from './a';\nexport const c = () => a();\n", 'src/d.ts': "import { a } from './a';\n" });
    assert.deepEqual(coupled(found), ['src/a.ts', 'src/b.ts', 'src/c.ts']);
  });
  it('leaves out cycles that run through import type', async () => {
    const found = await findingsOfAll({ 'a.ts': "import type { B } from './b';\nexport interface A { b: B }\n", 'b.ts': "import { a } from './a';\nexport const b = a;\n" });
    assert.deepEqual(coupled(found), []);
  });
  it('follows require() and re-exports', async () => {
    const found = await findingsOfAll({ 'a.js': "const b = require('./b');\n", 'b.js': "export * from './a';\n" });
    assert.deepEqual(coupled(found), ['a.js', 'b.js']);
  });
  it('flags more than ten distinct modules and leaves Node built-ins out of the count', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `import x${i} from 'lib${i}';`).join('\n');
    const tenPlusBuiltins = `${Array.from({ length: 10 }, (_, i) => `import x${i} from 'lib${i}';`).join('\n')}\nimport fs from 'node:fs';\nimport path from 'path';\n`;
    assert.deepEqual(coupled(await findingsOfAll({ 'a.ts': eleven })), ['a.ts']);
    assert.deepEqual(coupled(await findingsOfAll({ 'a.ts': tenPlusBuiltins })), []);
  });
  it('resolves relative imports between files named by URIs, as the editor names them', async () => {
    const found = await findingsOfAll({
      'file:///work/src/a.ts': "import { b } from './b';\nexport const a = () => b();\n",
      'file:///work/src/b.ts': "import { a } from '../src/a';\nexport const b = () => a();\n",
      'vscode-remote://ssh-remote+box/home/p/x.py': 'from .y import g\n',
      'vscode-remote://ssh-remote+box/home/p/y.py': 'from .x import f\n',
      'file:///work/lib/c.ts': "import { a } from '../src/a';\n",
    });
    assert.deepEqual(coupled(found), ['file:///work/src/a.ts', 'file:///work/src/b.ts', 'vscode-remote://ssh-remote+box/home/p/x.py', 'vscode-remote://ssh-remote+box/home/p/y.py']);
  });
  it('finds Python relative-import cycles', async () => {
    const found = await findingsOfAll({ 'pkg/a.py': 'from .b import g\n', 'pkg/b.py': 'from . import a\nfrom .a import f\n' });
    assert.deepEqual(coupled(found), ['pkg/a.py', 'pkg/b.py']);
  });
  it('finds Java import cycles by class name', async () => {
    const found = await findingsOfAll({ 'src/com/x/A.java': 'package com.x;\nimport com.y.B;\nclass A {}\n', 'src/com/y/B.java': 'package com.y;\nimport com.x.A;\nclass B {}\n' });
    assert.deepEqual(coupled(found), ['src/com/x/A.java', 'src/com/y/B.java']);
  });
  it('marks a small module off every cycle as CLEAN_ARCHITECTURE, and one on a cycle not', async () => {
    const found = await findingsOfAll({ 'a.ts': "import { b } from './b';\nexport const a = b;\n", 'b.ts': "import { a } from './a';\nexport const b = 1;\n", 'c.ts': "import { a } from './a';\nexport const c = a;\n" });
    assert.deepEqual(found.filter((f) => f.pattern === 'CLEAN_ARCHITECTURE').map((f) => f.file), ['c.ts']);
  });
});
