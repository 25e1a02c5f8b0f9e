import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MASK, unmask } from '../../src/http/secrets.ts';

test('a masked value sent back means "unchanged"; a new value or a new key is taken as given', () => {
  assert.deepEqual(
    unmask({ 'db.pass': 's3cret', topic: 'a' }, { 'db.pass': MASK, topic: 'b', extra: MASK }),
    {
      'db.pass': 's3cret',
      topic: 'b',
      extra: MASK,
    },
  );
  assert.deepEqual(unmask({ 'db.pass': 's3cret' }, { 'db.pass': 'new' }), { 'db.pass': 'new' });
});
