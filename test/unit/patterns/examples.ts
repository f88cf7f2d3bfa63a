import type { PatternName } from '../../../src/engine/index';
import type { LanguageId } from '../../../src/patterns/index';

/**
 * Labelled examples: for each language and pattern, code that shows the pattern (`pos`) and code
 * that does not (`neg`). docs/patterns.md states the rule each pair is held against.
 */
export type Examples = Partial<Record<PatternName, { pos: string; neg: string }>>;

const many = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n');

/** Plain JavaScript, valid as TypeScript and TSX too. */
const JS: Examples = {
  LOGIC_SPIRAL: {
    pos: `export function route(req, rules) {
  for (const rule of rules) {
    if (rule.enabled) {
      for (const m of rule.methods) {
        if (m === req.method) {
          while (rule.retries > 0) {
            rule.retries--;
          }
        }
      }
    }
  }
}`,
    neg: `export function route(req, rules) {
  const rule = rules.find((r) => r.enabled && r.methods.includes(req.method));
  return rule ? rule.name : 'none';
}`,
  },
  ERROR_SWALLOWING: {
    pos: `export async function save(db, row) {
  try {
    await db.open();
    await db.insert(row);
  } catch (err) {}
}`,
    neg: `export async function save(db, row) {
  try {
    await db.open();
    await db.insert(row);
  } catch (err) {
    throw new Error('could not save the row', { cause: err });
  }
}`,
  },
  REPEATED_SIMILAR_BLOCKS: {
    pos: `function sumPositive(xs) {
  let s = 0;
  for (const x of xs) if (x > 0) s += x;
  return s;
}
function totalCredits(xs) {
  let s = 0;
  for (const x of xs) if (x > 0) s += x;
  return s;
}`,
    neg: `function sumPositive(xs) {
  let s = 0;
  for (const x of xs) if (x > 0) s += x;
  return s;
}
function countNegative(xs) {
  let n = 0;
  for (const x of xs) if (x < 0) n++;
  return n;
}`,
  },
  TIGHT_COUPLING: {
    pos: `${many(11, (i) => `import { m${i} } from 'pkg-${i}';`)}
export const all = [${many(11, (i) => `m${i}`).split('\n').join(', ')}];`,
    neg: `import { a } from 'pkg-a';
import { b } from './b';
export const all = [a, b];`,
  },
  PREMATURE_OPTIMIZATION: {
    pos: `export function pageOf(index, size) {
  return (index / size) | 0;
}`,
    neg: `export function pageOf(index, size) {
  return Math.trunc(index / size);
}`,
  },
  INSUFFICIENT_VALIDATION: {
    pos: `import fs from 'node:fs';
export function readReport(name) {
  return fs.readFileSync(name, 'utf8');
}`,
    neg: `import fs from 'node:fs';
export function readReport(name) {
  if (!/^[a-z0-9-]+\\.txt$/.test(name)) throw new Error('bad report name');
  return fs.readFileSync(name, 'utf8');
}`,
  },
  IDEMPOTENT_OPERATIONS: {
    pos: `import fs from 'node:fs';
export function prepare(dir) {
  fs.mkdirSync(dir, { recursive: true });
}`,
    neg: `import fs from 'node:fs';
export function prepare(dir) {
  fs.mkdirSync(dir);
}`,
  },
  ROBUST_ERROR_HANDLING: {
    pos: `export function parseConfig(text) {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error('config is not JSON', { cause: err });
  }
}`,
    neg: `export function parseConfig(text) {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}`,
  },
  HARMONIC_DESIGN: {
    pos: `export function discounted(price, rate) {
  const cut = price * rate;
  return price - cut;
}`,
    neg: `export function discounted(price, rate, kind, region, season) {
  let out = price;
  if (kind === 'a') { out -= 1; } else if (kind === 'b') { out -= 2; } else { out -= 3; }
  if (region === 'eu' && season === 'winter') { out *= rate; }
  return out;
}`,
  },
  SELF_DOCUMENTING: {
    pos: `export function secondsToDays(seconds) {
  const perDay = SECONDS_PER_DAY;
  return seconds / perDay;
}`,
    neg: `export function conv(s) {
  const q = s / 86400;
  return q;
}`,
  },
  CLEAN_ARCHITECTURE: {
    pos: `import { a } from './a';
export function twice() {
  return a() * 2;
}`,
    neg: `${many(9, (i) => `import { m${i} } from 'pkg-${i}';`)}
export const all = [${many(9, (i) => `m${i}`).split('\n').join(', ')}];`,
  },
};

const PY: Examples = {
  LOGIC_SPIRAL: {
    pos: `def route(req, rules):
    for rule in rules:
        if rule.enabled:
            for m in rule.methods:
                if m == req.method:
                    while rule.retries > 0:
                        rule.retries -= 1
`,
    neg: `def route(req, rules):
    rule = next((r for r in rules if r.enabled), None)
    return rule.name if rule else "none"
`,
  },
  ERROR_SWALLOWING: {
    pos: `def close(conn):
    try:
        conn.close()
    except OSError:
        pass
`,
    neg: `def close(conn):
    try:
        conn.close()
    except OSError as err:
        log.warning("close failed: %s", err)
`,
  },
  REPEATED_SIMILAR_BLOCKS: {
    pos: `def sum_positive(xs):
    s = 0
    for x in xs:
        if x > 0:
            s += x
    return s

def total_credits(xs):
    s = 0
    for x in xs:
        if x > 0:
            s += x
    return s
`,
    neg: `def sum_positive(xs):
    s = 0
    for x in xs:
        if x > 0:
            s += x
    return s

def count_negative(xs):
    n = 0
    for x in xs:
        if x < 0:
            n += 1
    return n
`,
  },
  TIGHT_COUPLING: {
    pos: `${many(11, (i) => `import pkg${i}`)}
`,
    neg: `import os
import json
`,
  },
  PREMATURE_OPTIMIZATION: {
    pos: `_cache = {}

def fib(n):
    if n in _cache:
        return _cache[n]
    _cache[n] = n if n < 2 else fib(n - 1) + fib(n - 2)
    return _cache[n]
`,
    neg: `import functools

@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
`,
  },
  INSUFFICIENT_VALIDATION: {
    pos: `def read_report(name):
    with open(name) as f:
        return f.read()
`,
    neg: `def read_report(name):
    if not name.endswith(".txt"):
        raise ValueError("bad report name")
    with open(name) as f:
        return f.read()
`,
  },
  IDEMPOTENT_OPERATIONS: {
    pos: `import os

def prepare(path):
    os.makedirs(path, exist_ok=True)
`,
    neg: `import os

def prepare(path):
    os.makedirs(path)
`,
  },
  ROBUST_ERROR_HANDLING: {
    pos: `def parse_config(text):
    try:
        return json.loads(text)
    except ValueError as err:
        raise ConfigError("config is not JSON") from err
`,
    neg: `def parse_config(text):
    try:
        return json.loads(text)
    except ValueError:
        pass
`,
  },
  HARMONIC_DESIGN: {
    pos: `def discounted(price, rate):
    cut = price * rate
    return price - cut
`,
    neg: `def discounted(price, rate, kind, region, season):
    out = price
    if kind == "a":
        out -= 1
    elif kind == "b":
        out -= 2
    else:
        out -= 3
    if region == "eu" and season == "winter":
        out *= rate
    return out
`,
  },
  SELF_DOCUMENTING: {
    pos: `def seconds_to_days(seconds):
    per_day = SECONDS_PER_DAY
    return seconds / per_day
`,
    neg: `def conv(s):
    q = s / 86400
    return q
`,
  },
  CLEAN_ARCHITECTURE: {
    pos: `from .a import helper

def twice():
    return helper() * 2
`,
    neg: `${many(9, (i) => `import pkg${i}`)}
`,
  },
};

const GO: Examples = {
  LOGIC_SPIRAL: {
    pos: `package web

func Route(method string, rules []Rule) {
	for _, rule := range rules {
		if rule.Enabled {
			for _, m := range rule.Methods {
				if m == method {
					for rule.Retries > 0 {
						rule.Retries--
					}
				}
			}
		}
	}
}
`,
    neg: `package web

func Route(method string, rules []Rule) string {
	if len(rules) == 0 {
		return "none"
	}
	return rules[0].Name
}
`,
  },
  ERROR_SWALLOWING: {
    pos: `package store

func Save(db *DB, row Row) {
	err := db.Insert(row)
	if err != nil {
	}
}
`,
    neg: `package store

func Save(db *DB, row Row) error {
	err := db.Insert(row)
	if err != nil {
		return fmt.Errorf("save: %w", err)
	}
	return nil
}
`,
  },
  REPEATED_SIMILAR_BLOCKS: {
    pos: `package calc

func SumPositive(xs []int) int {
	s := 0
	for _, x := range xs {
		if x > 0 {
			s += x
		}
	}
	return s
}

func TotalCredits(xs []int) int {
	s := 0
	for _, x := range xs {
		if x > 0 {
			s += x
		}
	}
	return s
}
`,
    neg: `package calc

func SumPositive(xs []int) int {
	s := 0
	for _, x := range xs {
		if x > 0 {
			s += x
		}
	}
	return s
}

func CountNegative(xs []int) int {
	n := 0
	for _, x := range xs {
		if x < 0 {
			n++
		}
	}
	return n
}
`,
  },
  TIGHT_COUPLING: {
    pos: `package app

import (
${many(11, (i) => `\t"example.com/lib/p${i}"`)}
)
`,
    neg: `package app

import (
	"fmt"
	"example.com/lib/p1"
)
`,
  },
  PREMATURE_OPTIMIZATION: {
    pos: `package calc

func Sum(xs []int) int {
	s := 0
	for i, n := 0, len(xs); i < n; i++ {
		s += xs[i]
	}
	return s
}
`,
    neg: `package calc

func Sum(xs []int) int {
	s := 0
	for i := 0; i < len(xs); i++ {
		s += xs[i]
	}
	return s
}
`,
  },
  INSUFFICIENT_VALIDATION: {
    pos: `package files

func ReadReport(name string) ([]byte, error) {
	return os.ReadFile(name)
}
`,
    neg: `package files

func ReadReport(name string) ([]byte, error) {
	if strings.Contains(name, "..") {
		return nil, errBadName
	}
	return os.ReadFile(name)
}
`,
  },
  IDEMPOTENT_OPERATIONS: {
    pos: `package files

func Prepare(dir string) error {
	return os.MkdirAll(dir, 0o755)
}
`,
    neg: `package files

func Prepare(dir string) error {
	return os.Mkdir(dir, 0o755)
}
`,
  },
  ROBUST_ERROR_HANDLING: {
    pos: `package conf

func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return parse(data)
}
`,
    neg: `package conf

func Load(path string) *Config {
	data, _ := os.ReadFile(path)
	return parse(data)
}
`,
  },
  HARMONIC_DESIGN: {
    pos: `package calc

func Discounted(price, rate float64) float64 {
	cut := price * rate
	return price - cut
}
`,
    neg: `package calc

func Discounted(price, rate float64, kind, region, season string) float64 {
	out := price
	if kind == "a" {
		out -= 1
	} else if kind == "b" {
		out -= 2
	} else {
		out -= 3
	}
	if region == "eu" && season == "winter" {
		out *= rate
	}
	return out
}
`,
  },
  SELF_DOCUMENTING: {
    pos: `package calc

func SecondsToDays(seconds float64) float64 {
	perDay := secondsPerDay
	return seconds / perDay
}
`,
    neg: `package calc

func conv(s float64) float64 {
	q := s / 86400
	return q
}
`,
  },
  CLEAN_ARCHITECTURE: {
    pos: `package calc

import "fmt"

func Twice(x int) string {
	return fmt.Sprint(x * 2)
}
`,
    neg: `package app

import (
${many(9, (i) => `\t"example.com/lib/p${i}"`)}
)
`,
  },
};

const JAVA: Examples = {
  LOGIC_SPIRAL: {
    pos: `class Router {
  void route(Request req, List<Rule> rules) {
    for (Rule rule : rules) {
      if (rule.enabled) {
        for (String m : rule.methods) {
          if (m.equals(req.method)) {
            while (rule.retries > 0) {
              rule.retries--;
            }
          }
        }
      }
    }
  }
}`,
    neg: `class Router {
  String route(Request req, List<Rule> rules) {
    return rules.isEmpty() ? "none" : rules.get(0).name;
  }
}`,
  },
  ERROR_SWALLOWING: {
    pos: `class Store {
  void save(Db db, Row row) {
    try {
      db.open();
      db.insert(row);
    } catch (IOException e) {}
  }
}`,
    neg: `class Store {
  void save(Db db, Row row) {
    try {
      db.open();
      db.insert(row);
    } catch (IOException e) {
      throw new UncheckedIOException("could not save", e);
    }
  }
}`,
  },
  REPEATED_SIMILAR_BLOCKS: {
    pos: `class Calc {
  int sumPositive(int[] xs) {
    int s = 0;
    for (int x : xs) if (x > 0) s += x;
    return s;
  }
  int totalCredits(int[] xs) {
    int s = 0;
    for (int x : xs) if (x > 0) s += x;
    return s;
  }
}`,
    neg: `class Calc {
  int sumPositive(int[] xs) {
    int s = 0;
    for (int x : xs) if (x > 0) s += x;
    return s;
  }
  int countNegative(int[] xs) {
    int n = 0;
    for (int x : xs) if (x < 0) n++;
    return n;
  }
}`,
  },
  TIGHT_COUPLING: {
    pos: `${many(11, (i) => `import com.example.lib.P${i};`)}
class App {}`,
    neg: `import java.util.List;
import com.example.lib.P1;
class App {}`,
  },
  PREMATURE_OPTIMIZATION: {
    pos: `class Calc {
  int sum(List<Integer> xs) {
    int s = 0;
    for (int i = 0, n = xs.size(); i < n; i++) s += xs.get(i);
    return s;
  }
}`,
    neg: `class Calc {
  int sum(List<Integer> xs) {
    int s = 0;
    for (int x : xs) s += x;
    return s;
  }
}`,
  },
  INSUFFICIENT_VALIDATION: {
    pos: `class Reports {
  public String read(String name) throws IOException {
    return Files.readString(Paths.get(name));
  }
}`,
    neg: `class Reports {
  public String read(String name) throws IOException {
    if (!name.matches("[a-z0-9-]+\\\\.txt")) throw new IllegalArgumentException("bad name");
    return Files.readString(Paths.get(name));
  }
}`,
  },
  IDEMPOTENT_OPERATIONS: {
    pos: `class Files2 {
  void prepare(Path dir) throws IOException {
    Files.createDirectories(dir);
  }
}`,
    neg: `class Files2 {
  void prepare(Path dir) throws IOException {
    Files.createDirectory(dir);
  }
}`,
  },
  ROBUST_ERROR_HANDLING: {
    pos: `class Conf {
  Config load(String text) {
    try {
      return parse(text);
    } catch (ParseException e) {
      throw new IllegalStateException("config does not parse", e);
    }
  }
}`,
    neg: `class Conf {
  Config load(String text) {
    try {
      return parse(text);
    } catch (ParseException e) {
    }
    return null;
  }
}`,
  },
  HARMONIC_DESIGN: {
    pos: `class Calc {
  double discounted(double price, double rate) {
    double cut = price * rate;
    return price - cut;
  }
}`,
    neg: `class Calc {
  double discounted(double price, double rate, String kind, String region, String season) {
    double out = price;
    if (kind.equals("a")) { out -= 1; } else if (kind.equals("b")) { out -= 2; } else { out -= 3; }
    if (region.equals("eu") && season.equals("winter")) { out *= rate; }
    return out;
  }
}`,
  },
  SELF_DOCUMENTING: {
    pos: `class Calc {
  double secondsToDays(double seconds) {
    double perDay = SECONDS_PER_DAY;
    return seconds / perDay;
  }
}`,
    neg: `class Calc {
  double conv(double s) {
    double q = s / 86400;
    return q;
  }
}`,
  },
  CLEAN_ARCHITECTURE: {
    pos: `import java.util.List;
class Twice {
  int twice(int x) { return x * 2; }
}`,
    neg: `${many(9, (i) => `import com.example.lib.P${i};`)}
class App {}`,
  },
};

const RUST: Examples = {
  LOGIC_SPIRAL: {
    pos: `fn route(method: &str, rules: &mut [Rule]) {
    for rule in rules.iter_mut() {
        if rule.enabled {
            for m in &rule.methods {
                if m == method {
                    while rule.retries > 0 {
                        rule.retries -= 1;
                    }
                }
            }
        }
    }
}`,
    neg: `fn route(rules: &[Rule]) -> &str {
    rules.first().map(|r| r.name.as_str()).unwrap_or("none")
}`,
  },
  ERROR_SWALLOWING: {
    pos: `fn cleanup(path: &Path) {
    let _ = std::fs::remove_file(path);
}`,
    neg: `fn cleanup(path: &Path) -> std::io::Result<()> {
    std::fs::remove_file(path)?;
    Ok(())
}`,
  },
  REPEATED_SIMILAR_BLOCKS: {
    pos: `fn sum_positive(xs: &[i64]) -> i64 {
    let mut s = 0;
    for x in xs { if *x > 0 { s += x; } }
    s
}
fn total_credits(xs: &[i64]) -> i64 {
    let mut s = 0;
    for x in xs { if *x > 0 { s += x; } }
    s
}`,
    neg: `fn sum_positive(xs: &[i64]) -> i64 {
    let mut s = 0;
    for x in xs { if *x > 0 { s += x; } }
    s
}
fn count_negative(xs: &[i64]) -> i64 {
    let mut n = 0;
    for x in xs { if *x < 0 { n += 1; } }
    n
}`,
  },
  TIGHT_COUPLING: {
    pos: `${many(11, (i) => `use crate_${i}::Thing${i};`)}
fn main() {}`,
    neg: `use std::fs;
use serde::Deserialize;
fn main() {}`,
  },
  PREMATURE_OPTIMIZATION: {
    pos: `fn sum4(a: &[i64]) -> i64 {
    let mut s = 0;
    let i = 0;
    s += a[i];
    s += a[i + 1];
    s += a[i + 2];
    s += a[i + 3];
    s
}`,
    neg: `fn sum4(a: &[i64]) -> i64 {
    a.iter().take(4).sum()
}`,
  },
  INSUFFICIENT_VALIDATION: {
    pos: `pub fn read_report(name: &str) -> String {
    std::fs::read_to_string(name).unwrap()
}`,
    neg: `pub fn read_report(name: &str) -> String {
    if name.contains("..") {
        panic!("bad report name");
    }
    std::fs::read_to_string(name).unwrap()
}`,
  },
  IDEMPOTENT_OPERATIONS: {
    pos: `fn prepare(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}`,
    neg: `fn prepare(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir(dir)
}`,
  },
  ROBUST_ERROR_HANDLING: {
    pos: `fn load(path: &Path) -> Result<Config, AppError> {
    let text = std::fs::read_to_string(path).map_err(|e| AppError::Io(path.to_owned(), e))?;
    parse(&text)
}`,
    neg: `fn load(path: &Path) -> Option<Config> {
    let text = std::fs::read_to_string(path).ok()?;
    parse(&text)
}`,
  },
  HARMONIC_DESIGN: {
    pos: `fn discounted(price: f64, rate: f64) -> f64 {
    let cut = price * rate;
    price - cut
}`,
    neg: `fn discounted(price: f64, rate: f64, kind: &str, region: &str, season: &str) -> f64 {
    let mut out = price;
    if kind == "a" { out -= 1.0; } else if kind == "b" { out -= 2.0; } else { out -= 3.0; }
    if region == "eu" && season == "winter" { out *= rate; }
    out
}`,
  },
  SELF_DOCUMENTING: {
    pos: `fn seconds_to_days(seconds: f64) -> f64 {
    let per_day = SECONDS_PER_DAY;
    seconds / per_day
}`,
    neg: `fn conv(s: f64) -> f64 {
    let q = s / 86400.0;
    q
}`,
  },
  CLEAN_ARCHITECTURE: {
    pos: `use std::fmt;
fn twice(x: i64) -> i64 {
    x * 2
}`,
    neg: `${many(9, (i) => `use crate_${i}::Thing${i};`)}
fn main() {}`,
  },
};

/** Every language with its examples; TypeScript and TSX reuse the JavaScript ones. */
export const EXAMPLES: Readonly<Record<LanguageId, Examples>> = {
  javascript: JS,
  typescript: JS,
  tsx: JS,
  python: PY,
  go: GO,
  java: JAVA,
  rust: RUST,
};

export const FILE_NAMES: Readonly<Record<LanguageId, string>> = {
  javascript: 'src/example.js',
  typescript: 'src/example.ts',
  tsx: 'src/example.tsx',
  python: 'pkg/example.py',
  go: 'pkg/example.go',
  java: 'src/Example.java',
  rust: 'src/example.rs',
};
