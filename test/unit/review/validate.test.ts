import assert from 'node:assert/strict';
import { REVIEW_TOOL_NAME } from '../../../src/review/prompt';
import { ReviewError } from '../../../src/review/types';
import { reviewFromMessage, validateReviewInput } from '../../../src/review/validate';

const good = () => ({
  robustness: 71,
  patterns: ['ERROR_SWALLOWING', 'SELF_DOCUMENTING'],
  codeQuality: { readability: 80, maintainability: 70, testability: 60, security: 50 },
  reasoning: ['The catch block on line 4 drops the error.'],
});

const malformed = (fn: () => unknown, pattern: RegExp): void =>
  assert.throws(fn, (e: unknown) => e instanceof ReviewError && e.kind === 'malformed' && pattern.test(e.message));

describe('validateReviewInput', () => {
  it('accepts a clean answer as is, with patterns in PATTERNS order', () => {
    const { review, adjustments } = validateReviewInput(good());
    assert.deepEqual(review, { ...good(), patterns: ['SELF_DOCUMENTING', 'ERROR_SWALLOWING'] });
    assert.deepEqual(adjustments, []);
  });

  it('clamps out-of-range scores and rounds fractions', () => {
    const { review, adjustments } = validateReviewInput({ ...good(), robustness: 150, codeQuality: { readability: -20, maintainability: 70.6, testability: 1e9, security: 0 } });
    assert.equal(review.robustness, 100);
    assert.deepEqual(review.codeQuality, { readability: 0, maintainability: 71, testability: 100, security: 0 });
    assert.equal(adjustments.length, 3);
    assert.match(adjustments.join(), /robustness 150 clamped to 100/);
  });

  it('drops unknown patterns and duplicates, and reads loosely written known ones', () => {
    const { review, adjustments } = validateReviewInput({ ...good(), patterns: ['PERFECT_CODE', 'logic-spiral', 'LOGIC_SPIRAL', 42] });
    assert.deepEqual(review.patterns, ['LOGIC_SPIRAL']);
    assert.equal(adjustments.length, 2);
  });

  it('rejects a missing or non-numeric score as malformed', () => {
    malformed(() => validateReviewInput({ ...good(), robustness: undefined }), /robustness is missing/);
    malformed(() => validateReviewInput({ ...good(), robustness: '100' }), /robustness is "100"/);
    malformed(() => validateReviewInput({ ...good(), codeQuality: { readability: 1, maintainability: 1, testability: 1 } }), /codeQuality.security is missing/);
  });

  it('rejects wrong shapes as malformed', () => {
    malformed(() => validateReviewInput('rate 100'), /expected an object/);
    malformed(() => validateReviewInput([good()]), /an array/);
    malformed(() => validateReviewInput({ ...good(), patterns: 'LOGIC_SPIRAL' }), /patterns is "LOGIC_SPIRAL"/);
    malformed(() => validateReviewInput({ ...good(), reasoning: [1, 2] }), /reasoning/);
    malformed(() => validateReviewInput({ ...good(), codeQuality: null }), /codeQuality is null/);
  });

  it('trims, caps and shortens reasons', () => {
    const { review } = validateReviewInput({ ...good(), reasoning: ['  a  ', '', ...Array.from({ length: 20 }, () => 'x'.repeat(1000))] });
    assert.equal(review.reasoning[0], 'a');
    assert.equal(review.reasoning.length, 8);
    assert.ok(review.reasoning.every((r) => r.length <= 400));
  });
});

describe('reviewFromMessage', () => {
  it('reads the forced tool call among other blocks', () => {
    const msg = { content: [{ type: 'text', text: 'Here is my review' }, { type: 'tool_use', name: REVIEW_TOOL_NAME, input: good() }] };
    assert.equal(reviewFromMessage(msg).review.robustness, 71);
  });

  it('treats an answer without the tool call as malformed', () => {
    malformed(() => reviewFromMessage({ content: [{ type: 'text', text: 'robustness: 100' }], stop_reason: 'end_turn' }), /no record_code_review tool call.*end_turn/);
    malformed(() => reviewFromMessage({ content: [{ type: 'tool_use', name: 'other_tool', input: good() }] }), /no record_code_review/);
    malformed(() => reviewFromMessage({}), /no content/);
  });
});
