import assert from 'node:assert/strict';
import { describeFindings, findingsOf } from './support';

const swallowed = async (file: string, code: string): Promise<boolean> => (await findingsOf(file, code)).some((f) => f.pattern === 'ERROR_SWALLOWING');

describe('patterns: ERROR_SWALLOWING follows no-empty, no-ignored-exceptions and the per-language rules', () => {
  const js: [string, string, boolean][] = [
    ['an empty catch', 'try { a(); b(); } catch (e) {}', true],
    ['an empty catch with a comment inside', 'try { a(); b(); } catch (e) { /* best effort */ }', false],
    ['a caught error never used', 'try { a(); b(); } catch (e) { log("failed"); }', true],
    ['an unused error after a one-statement try (sonarjs exempts it)', 'try { a(); } catch (e) { log("failed"); }', false],
    ['a catch without a binding that does something', 'try { a(); b(); } catch { log("failed"); }', false],
    ['an empty catch without a binding', 'try { a(); b(); } catch {}', true],
    ['a used error', 'try { a(); b(); } catch (e) { log(e); }', false],
    ['an error used only in a nested function', 'try { a(); b(); } catch (e) { setTimeout(() => log(e)); }', false],
    ['an empty promise handler', 'p.catch(() => {});', true],
    ['an empty promise function handler', 'p.catch(function () {});', true],
    ['a promise handler with a comment', 'p.catch(() => { /* ignored on purpose */ });', false],
    ['a promise handler that logs', 'p.catch((e) => log(e));', false],
  ];
  for (const [name, code, expected] of js) {
    it(`${expected ? 'flags' : 'does not flag'} ${name} (JavaScript)`, async () => {
      assert.equal(await swallowed('a.js', code), expected, describeFindings(await findingsOf('a.js', code)));
    });
  }
  it('spans the whole catch clause', async () => {
    const found = (await findingsOf('a.ts', 'try {\n  a();\n  b();\n} catch (e) {\n\n}\n')).filter((f) => f.pattern === 'ERROR_SWALLOWING');
    assert.deepEqual(found.map((f) => [f.startLine, f.endLine]), [[4, 6]]);
  });

  const py: [string, string, boolean][] = [
    ['except … pass', 'try:\n    a()\nexcept ValueError:\n    pass\n', true],
    ['a bare except: pass with a comment', 'try:\n    a()\nexcept:  # fine\n    pass\n', true],
    ['except … continue', 'for x in xs:\n    try:\n        a(x)\n    except ValueError:\n        continue\n', false],
    ['except that logs', 'try:\n    a()\nexcept ValueError as e:\n    log(e)\n', false],
  ];
  for (const [name, code, expected] of py) {
    it(`${expected ? 'flags' : 'does not flag'} ${name} (Python)`, async () => {
      assert.equal(await swallowed('a.py', code), expected);
    });
  }

  const go: [string, string, boolean][] = [
    ['an error assigned to _', 'package a\nfunc f() { v, _ := strconv.Atoi(s); use(v) }', true],
    ['a call result assigned to _', 'package a\nfunc f() { _ = w.Close() }', true],
    ['an empty if err != nil', 'package a\nfunc f() { err := g(); if err != nil {} }', true],
    ['the blank index of a range', 'package a\nfunc f() { for _, v := range xs { use(v) } }', false],
    ['a map look-up with _', 'package a\nfunc f() { v, _ := m[k]; use(v) }', false],
    ['a returned error', 'package a\nfunc f() error { err := g(); if err != nil { return err }; return nil }', false],
  ];
  for (const [name, code, expected] of go) {
    it(`${expected ? 'flags' : 'does not flag'} ${name} (Go)`, async () => {
      assert.equal(await swallowed('a.go', code), expected);
    });
  }

  const rust: [string, string, boolean][] = [
    ['let _ = a call', 'fn f() { let _ = fs::remove_file(p); }', true],
    ['a Result dropped with .ok();', 'fn f() { fs::remove_file(p).ok(); }', true],
    ['a named guard binding', 'fn f() { let _guard = lock.lock(); }', false],
    ['the ? operator', 'fn f() -> io::Result<()> { fs::remove_file(p)?; Ok(()) }', false],
  ];
  for (const [name, code, expected] of rust) {
    it(`${expected ? 'flags' : 'does not flag'} ${name} (Rust)`, async () => {
      assert.equal(await swallowed('a.rs', code), expected);
    });
  }

  const java: [string, string, boolean][] = [
    ['an empty catch', 'class A { void f() { try { a(); b(); } catch (Exception e) {} } }', true],
    ['an unused exception', 'class A { void f() { try { a(); b(); } catch (Exception e) { log("x"); } } }', true],
    ['a used exception', 'class A { void f() { try { a(); b(); } catch (Exception e) { log(e); } } }', false],
  ];
  for (const [name, code, expected] of java) {
    it(`${expected ? 'flags' : 'does not flag'} ${name} (Java)`, async () => {
      assert.equal(await swallowed('A.java', code), expected);
    });
  }
});
