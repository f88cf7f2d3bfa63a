// Entry point VS Code calls inside the extension host (`--extensionTestsPath`): runs the bundled
// *.test.js beside it with mocha, reporting counts to $TEST_RESULTS_FILE. A pass other than the
// main one (CONVERGENCE_TEST_PASS, see run.mjs) runs only the files named `<pass>-*`; the main
// pass runs the files named for no other pass.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

/** The passes besides `main`, as in run.mjs. */
const OTHER_PASSES = ['kilo7', 'untrusted'];

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: path.resolve(__dirname, '../../../test/support/counting-reporter.cjs'),
  });
  const pass = process.env.CONVERGENCE_TEST_PASS ?? 'main';
  const passOf = (file: string): string => OTHER_PASSES.find((p) => file.startsWith(`${p}-`)) ?? 'main';
  const files = readdirSync(__dirname)
    .sort()
    .filter((f) => f.endsWith('.test.js') && passOf(f) === pass);
  if (files.length === 0) return Promise.reject(new Error(`no test files for the ${pass} pass`));
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
