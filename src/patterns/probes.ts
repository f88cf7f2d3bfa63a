import type { LanguageId } from './types';

/**
 * One text per grammar on which the memory reader (reader.ts) is checked against the tree
 * cursor before it is trusted: nesting, fields, comments (extras), aliased nodes, strings with
 * characters outside the BMP, and syntax errors — an ERROR node and a missing token.
 */
const JS = `// probe
import { a as b } from './x';
/* block */ export class K extends B {
  #p = 1;
  static m(x, { y = 2 }, ...z) { return x?.[y] ?? \`t\${z}é😀\`; }
  get g() { try { for (const q of this) if (q) break; else continue; } catch { } finally { } }
}
label: while (a && !b || c) { switch (d) { case 1: d >>>= 1; default: ~~d; } }
const f = async function* (a) { yield* a; }, g = (x) => x | 0;
new K(/re[g]/u, 0x1f, 1_000n).m\`tag\`;
function broken( { if (x
let missing = (1 + 2${'\n'.repeat(20)};
function tail() { if (a) {${'\n'.repeat(20)}`;

const TS = `${JS}
interface I<T> extends J { k?: readonly T[]; [s: string]: unknown }
type U = A | { b: C<D> } & (() => void);
enum E { A = 1, B }
abstract class M<T> implements I<T> { private constructor(protected readonly v: T) { super(); } abstract n(): void; }
namespace N { export declare const c: number; }
let v = <T,>(x: T): x is T => x as unknown as T satisfies T;
`;

const TSX = `${TS}
const el = <div a="1" b={c} {...d}>text {e && <span/>}</div>;
const frag = <><A.B x /></>;
`;

const PYTHON = `# probe
import os, sys as s
from .x import (a, b as c)
@decorator(1)
class K(B, metaclass=M):
    """doc é😀"""
    def m(self, x, /, y=2, *args, z: int = 3, **kw) -> "K":
        if x and not y or z:
            return [i for i in range(3) if i]
        elif x:
            pass
        else:
            raise ValueError(f"{x!r:>4}") from None
        try:
            with open(p) as f, g:
                yield from f
        except (A, B) as e:
            print(e)
        finally:
            del x
        match x:
            case [1, *rest] if rest:
                return lambda q: q ** 2
        while True:
            x += 1; break
async def f(): await g
def broken(:
    x = (1 +
    y = [1${'\n'.repeat(20)}
def tail():
    return (1,${'\n'.repeat(20)}`;

const GO = `// probe
package p

import (
	"fmt"
	m "x/y"
)

type T struct {
	A int \`json:"a"\`
	B []map[string]*T
}

func (t *T) M(a, b int, c ...string) (int, error) {
	if v, err := f(a); err != nil {
		return 0, fmt.Errorf("é😀 %w", err)
	} else if a > b && !ok {
		goto end
	}
	for i, x := range c {
		switch x {
		case "a", "b":
			continue
		default:
			break
		}
		_ = i
	}
	select {
	case v := <-ch:
		_ = v
	}
	go func() { defer m.F() }()
end:
	return len(c), nil
}

func broken( {
	x := [1, 2
	y := f(1${'\n'.repeat(20)}
}

func tail() { if a {${'\n'.repeat(20)}`;

const JAVA = `// probe
package p;
import java.util.*;
import static a.B.c;
/** doc */
@Ann(x = 1)
public class K<T extends Comparable<T>> extends B implements I, J {
  private final int[] a = {1, 2};
  public K(int x) throws E { super(x); }
  @Override public <U> U m(final String s, int... n) {
    if (s != null && n.length > 0 || !ok) { return null; } else if (x) { } else { }
    for (int i = 0, k = n.length; i < k; i++) { continue; }
    for (String t : list) { break; }
    try (var r = open()) { r.read(); } catch (IOException | RuntimeException e) { throw new X(e); } finally { }
    switch (s) { case "a" -> { } default -> { } }
    var f = (Function<String, Integer>) x -> x.length();
    return s instanceof String str ? (U) "é😀" : null;
  }
  record R(int a) { }
  enum E { A, B; }
}
class Broken { void m( { int x = (1 + ; int y = (2${'\n'.repeat(20)}; }
class Tail { void m() { if (a) {${'\n'.repeat(20)}`;

const RUST = `// probe
use std::{collections::HashMap, io::Read as _};
/// doc
#[derive(Debug)]
pub struct S<'a, T: Clone> { a: &'a T, b: Vec<u8> }
impl<'a, T: Clone> Trait for S<'a, T> where T: Send {
    fn m(&mut self, x: i32, (a, b): (u8, u8)) -> Result<i32, E> {
        if let Some(v) = self.b.get(0) { return Ok(*v as i32); } else if x > 0 && !ok { }
        let _ = f();
        for (i, c) in "é😀".chars().enumerate() { match c { 'a' | 'b' => continue, _ if i > 2 => break, _ => {} } }
        'outer: loop { while x < 3 { break 'outer; } }
        let c = |q: u8| -> u8 { q << 1 };
        g().map_err(|e| e.into())?;
        unsafe { ptr::read(p) };
        println!("{}", x);
        Ok(x)
    }
}
mod m { pub(crate) const C: u8 = 0x1f; }
fn broken( { let x = (1 + ; let y = (2${'\n'.repeat(20)}; }
fn tail() { if a {${'\n'.repeat(20)}`;

/** The probe text for each grammar. */
export const PROBES: Readonly<Record<LanguageId, string>> = {
  javascript: JS,
  typescript: TS,
  tsx: TSX,
  python: PYTHON,
  go: GO,
  java: JAVA,
  rust: RUST,
};
