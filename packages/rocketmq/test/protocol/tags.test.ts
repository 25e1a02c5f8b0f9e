import assert from 'node:assert/strict';
import { test } from 'node:test';
import { javaHashCode, parseTagExpression } from '../../src/index.ts';

test("Java's String.hashCode vectors (spec §6.5)", () => {
  assert.equal(javaHashCode('TagA'), 2598919);
  assert.equal(javaHashCode('TagB'), 2598920);
  assert.equal(javaHashCode('*'), 42);
  assert.equal(javaHashCode('订单'), 1129459);
  // Computed with Java 17's String.hashCode: int32 overflow and non-ASCII code units.
  assert.equal(javaHashCode('a-very-long-string-that-overflows-int32'), -1571858430);
  assert.equal(javaHashCode('Ünïcødé 订单 ✓'), 437740111);
});

test('tag expressions', () => {
  assert.deepEqual(parseTagExpression(undefined), { subString: '*', tags: [], codes: [] });
  assert.deepEqual(parseTagExpression(' * '), { subString: '*', tags: [], codes: [] });
  assert.deepEqual(parseTagExpression('TagA || TagB ||'), {
    subString: 'TagA || TagB ||',
    tags: ['TagA', 'TagB'],
    codes: [2598919, 2598920],
  });
});
