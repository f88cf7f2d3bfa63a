import assert from 'node:assert/strict';
import { LANGUAGES } from '../../../src/patterns/index';
import { EXAMPLES, FILE_NAMES } from './examples';
import { describeFindings, findingsOf } from './support';

describe('patterns: labelled examples in every language', () => {
  for (const language of LANGUAGES) {
    describe(language, () => {
      for (const [pattern, { pos, neg }] of Object.entries(EXAMPLES[language])) {
        it(`finds ${pattern} in the positive example`, async () => {
          const found = await findingsOf(FILE_NAMES[language], pos, language);
          assert.ok(found.some((f) => f.pattern === pattern), `no ${pattern} in:\n${pos}\nfound:\n${describeFindings(found)}`);
        });
        it(`does not find ${pattern} in the negative example`, async () => {
          const found = await findingsOf(FILE_NAMES[language], neg, language);
          assert.ok(!found.some((f) => f.pattern === pattern), `unexpected ${pattern} in:\n${neg}\nfound:\n${describeFindings(found)}`);
        });
      }
    });
  }
});
