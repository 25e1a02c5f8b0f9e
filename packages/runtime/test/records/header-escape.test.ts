import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SYSTEM_PROPERTIES } from '@sluice/rocketmq';
import { ESCAPED_HEADER_PREFIX, escapeHeaders, unescapeHeaders } from '../../src/records/header-escape.ts';
import { toMessage, toSinkRecord } from '../../src/records/message-mapping.ts';

// Headers RocketMQ cannot hold as properties (found failing source tasks for good): a system
// property's name, an empty value (a Kafka header with a null value), U+0001 / U+0002.
const poison = {
  KEYS: 'not the message keys',
  TAGS: 'not the tags',
  DELAY: '3',
  empty: '',
  'sep\u0001name': 'v',
  ctl: 'a\u0001b\u0002c',
  [`${ESCAPED_HEADER_PREFIX}looks-escaped`]: 'x%41',
  plain: 'stays as it is',
};

test('headers RocketMQ cannot hold travel escaped and come back as they were', () => {
  const props = escapeHeaders(poison);
  assert.equal(props.plain, 'stays as it is');
  for (const [k, v] of Object.entries(props)) {
    assert.ok(!SYSTEM_PROPERTIES.has(k), `${k} is no system property`);
    assert.ok(k.trim() !== '' && v !== '', `${k} has a name and a value`);
    assert.ok(
      !(k + v).includes('\u0001') && !(k + v).includes('\u0002'),
      `${JSON.stringify(k)}: no separators`,
    );
  }
  assert.deepEqual(unescapeHeaders(props), poison);
});

test('a source record with such headers becomes a message, and a sink sees them again', () => {
  const m = toMessage({
    sourcePartition: { p: 0 },
    sourcePosition: { o: 1 },
    topic: 't',
    value: Buffer.from('v'),
    headers: poison,
  });
  const back = toSinkRecord({ topic: 't', brokerName: 'b', queueId: 0 }, {
    topic: 't',
    queueId: 0,
    queueOffset: 0n,
    body: Buffer.from('v'),
    userProperties: m.properties ?? {},
    keys: [],
    tags: undefined,
    bornTimestamp: 1,
    msgId: 'id',
  } as unknown as Parameters<typeof toSinkRecord>[1]);
  assert.deepEqual(back.headers, poison);
});
