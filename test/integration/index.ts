// Entry point VS Code calls inside the extension host (`--extensionTestsPath`): runs every
// bundled *.test.js beside it with mocha, reporting counts to $TEST_RESULTS_FILE.
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
  for (const f of readdirSync(__dirname).sort()) if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
