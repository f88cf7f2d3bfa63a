import assert from 'node:assert/strict';
import { functionAt } from '../../../src/vscode/functionAt';

const TS = [
  'import x from "y";', // 0
  'export function verifyToken(token: string): boolean {', // 1
  '  const s = "}{";', // 2
  '  return token.length > 0;', // 3
  '}', // 4
  '', // 5
  'export const hash = async (v: string): Promise<string> => {', // 6
  '  const inner = (a: number) => {', // 7
  '    return a * 2;', // 8
  '  };', // 9
  '  return v;', // 10
  '};', // 11
  'class A {', // 12
  '  private async load(id: string): Promise<void> {', // 13
  '    if (id) {', // 14
  '      await go();', // 15
  '    }', // 16
  '  }', // 17
  '}', // 18
].join('\n');

describe('vscode/functionAt', () => {
  it('finds a function declaration from its header and its body', () => {
    assert.deepEqual(functionAt(TS, 1, 'typescript'), { name: 'verifyToken', startLine: 1, endLine: 4 });
    assert.deepEqual(functionAt(TS, 3, 'typescript'), { name: 'verifyToken', startLine: 1, endLine: 4 });
  });

  it('ignores braces inside strings', () => {
    assert.equal(functionAt(TS, 2, 'typescript')?.endLine, 4);
  });

  it('finds an arrow function assigned to a const', () => {
    assert.deepEqual(functionAt(TS, 10, 'typescript'), { name: 'hash', startLine: 6, endLine: 11 });
  });

  it('returns the innermost function', () => {
    assert.deepEqual(functionAt(TS, 8, 'typescript'), { name: 'inner', startLine: 7, endLine: 9 });
  });

  it('finds a method and skips control-flow blocks', () => {
    assert.deepEqual(functionAt(TS, 15, 'typescript'), { name: 'load', startLine: 13, endLine: 17 });
  });

  it('returns undefined outside any function', () => {
    assert.equal(functionAt(TS, 0, 'typescript'), undefined);
    assert.equal(functionAt(TS, 5, 'typescript'), undefined);
    assert.equal(functionAt(TS, 99, 'typescript'), undefined);
  });

  it('follows indentation in Python', () => {
    const py = ['def outer(a):', '    x = 1', '', '    def inner(b):', '        return b', '    return x', 'y = 2'].join('\n');
    assert.deepEqual(functionAt(py, 1, 'python'), { name: 'outer', startLine: 0, endLine: 5 });
    assert.deepEqual(functionAt(py, 4, 'python'), { name: 'inner', startLine: 3, endLine: 4 });
    assert.equal(functionAt(py, 6, 'python'), undefined);
  });

  it('finds Go functions and methods', () => {
    const go = ['func (s *Server) Handle(w http.ResponseWriter) {', '\tw.Write(nil)', '}'].join('\n');
    assert.deepEqual(functionAt(go, 1, 'go'), { name: 'Handle', startLine: 0, endLine: 2 });
  });
});
