import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeProperties, encodeProperties } from '../../src/index.ts';

test('properties encode with U+0001 / U+0002 and a trailing U+0002', () => {
  assert.equal(
    encodeProperties({ KEYS: 'k1 k2', TAGS: 'TagA' }),
    'KEYS\u0001k1 k2\u0002TAGS\u0001TagA\u0002',
  );
});

test('properties round-trip unicode and empty maps', () => {
  const props = { 名前: '値 ✓', a: 'b=c;d' };
  assert.deepEqual(decodeProperties(encodeProperties(props)), props);
  assert.deepEqual(decodeProperties(''), {});
});

test('decoding drops empty names and values, as Java does', () => {
  assert.deepEqual(decodeProperties('\u0001x\u0002a\u0001\u0002ok\u0001v\u0002zz\u0002'), { ok: 'v' });
});

test('separator characters inside a property are refused', () => {
  assert.throws(() => encodeProperties({ a: 'x\u0001y' }), { code: 'INVALID_ARGUMENT' });
});
