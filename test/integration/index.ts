// Entry point VS Code calls inside the extension host (`--extensionTestsPath`): runs the bundled
// *.test.js beside it with mocha, reporting counts to $TEST_RESULTS_FILE. The Kilo 7 pass
// (CONVERGENCE_KILO_PASS=7, see run.mjs) runs only the kilo7-* files, the other pass the rest.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: path.resolve(__dirname, '../../../test/support/counting-reporter.cjs'),
  });
  const kilo7 = process.env.CONVERGENCE_KILO_PASS === '7';
  for (const f of readdirSync(__dirname).sort()) if (f.endsWith('.test.js') && f.startsWith('kilo7-') === kilo7) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
