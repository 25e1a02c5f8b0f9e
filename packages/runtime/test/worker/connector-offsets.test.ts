import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_OFFSET_ENTRIES, parseOffsetEntries } from '../../src/worker/connector-offsets.ts';

test('offset changes: the Kafka Connect shape is accepted; anything else is a clear 400', () => {
  assert.deepEqual(parseOffsetEntries({ offsets: [{ partition: { filename: 'a' }, offset: null }] }), [
    { partition: { filename: 'a' }, offset: null },
  ]);
  const bad: [unknown, RegExp][] = [
    [null, /at least one entry/],
    [{ offsets: {} }, /at least one entry/],
    [{ offsets: [] }, /at least one entry/],
    [{ offsets: [1] }, /offsets\[0\] must be an object/],
    [{ offsets: [{ partition: {} }] }, /needs an "offset"/],
    [{ offsets: [{ partition: [], offset: {} }] }, /partition must be a JSON object/],
    [{ offsets: [{ partition: { a: true }, offset: {} }] }, /partition\.a must be a string or a number/],
    [{ offsets: [{ partition: {}, offset: { o: Number.NaN } }] }, /offset\.o must be/],
    [
      { offsets: Array.from({ length: MAX_OFFSET_ENTRIES + 1 }, () => ({ partition: {}, offset: null })) },
      /at most/,
    ],
  ];
  for (const [body, message] of bad) {
    assert.throws(
      () => parseOffsetEntries(body),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'BAD_REQUEST');
        assert.match(err.message, message);
        return true;
      },
    );
  }
});
