import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigSpec } from '@sluice/connect-api';
import { KAFKA_CONNECT_KEYS } from '../../src/connector/kafka-connect-keys.ts';
import { validateConfig } from '../../src/connector/validate-config.ts';
import { ERROR_KEYS } from '../../src/errant/policy.ts';
import { LIMIT_KEYS } from '../../src/task/limit-keys.ts';

const spec: ConfigSpec = {
  fields: [
    { name: 'file', type: 'string', required: true, doc: 'the file' },
    { name: 'batch.size', type: 'int', default: '10', min: 1, max: 100, doc: 'lines' },
    { name: 'mode', type: 'string', oneOf: ['a', 'b'], doc: 'mode' },
    { name: 'topics', type: 'list', doc: 'topics', aliases: ['topicNames'] },
  ],
  allowedPrefixes: ['kafka.producer.'],
};

test('defaults are filled in, aliases resolve, allowed prefixes pass through', () => {
  const { config, issues } = validateConfig(spec, {
    file: '/x',
    topicNames: 'a,b',
    'connector-class': 'FileStreamSink',
    'kafka.producer.acks': 'all',
  });
  assert.deepEqual(issues, []);
  assert.deepEqual(config, {
    file: '/x',
    topics: 'a,b',
    'connector.class': 'FileStreamSink',
    'kafka.producer.acks': 'all',
    'batch.size': '10',
    'tasks.num': '1',
    // Every connector's rocketmq.order, errors.* and task.restart.* keys, at their defaults.
    'rocketmq.order': 'key',
    // Every connector's source.* and sink.* limits.
    ...Object.fromEntries(LIMIT_KEYS.map((f) => [f.name, f.default])),
    ...Object.fromEntries(ERROR_KEYS.map((f) => [f.name, f.default])),
    // Kafka Connect's common keys that have a default.
    ...Object.fromEntries(KAFKA_CONNECT_KEYS.filter((f) => f.default).map((f) => [f.name, f.default])),
  });
});

test("Kafka Connect's common keys: understood with the values that mean what Sluice does, else refused with the reason", () => {
  const ok = validateConfig(spec, {
    file: '/x',
    topics: 'a',
    name: 'c1',
    'tasks.max': '2',
    'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    transforms: '',
    'exactly.once.support': 'requested',
    'errors.tolerance': 'all',
  });
  assert.deepEqual(ok.issues, []);
  const bad = validateConfig(spec, {
    file: '/x',
    topics: 'a',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
    transforms: 'route',
    'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
    'producer.override.linger.ms': '5',
    'exactly.once.support': 'required',
    'no.such.key': 'x',
  });
  const by = Object.fromEntries(bad.issues.map((i) => [i.field, i.message]));
  assert.match(by['value.converter']!, /must be one of .*ByteArrayConverter/);
  assert.match(by['value.converter.schemas.enable']!, /not supported: .*bytes/);
  assert.match(by.transforms!, /not supported: Sluice has no single message transforms/);
  assert.match(by['transforms.route.type']!, /not supported/);
  assert.match(by['producer.override.linger.ms']!, /not supported: .*own client keys/);
  assert.match(by['exactly.once.support']!, /must be one of requested, optional/);
  assert.equal(by['no.such.key'], 'unknown key');
});

test('every problem is reported at once, per field', () => {
  const { issues } = validateConfig(spec, {
    'batch.size': '0',
    mode: 'c',
    'tasks.num': 'four',
    topics: 'a,,b',
    extra: 'x',
  });
  assert.deepEqual(
    issues.map((i) => i.field),
    ['extra', 'tasks.num', 'file', 'batch.size', 'mode', 'topics'],
  );
  assert.match(issues.find((i) => i.field === 'batch.size')!.message, /at least 1/);
  assert.match(issues.find((i) => i.field === 'tasks.num')!.message, /whole number/);
});

test('task counts: negative, zero, huge and non-numeric are refused', () => {
  for (const bad of ['-1', '0', '1025', '99999999999999999999', '1.5', 'abc', '']) {
    const { issues } = validateConfig({ fields: [] }, { 'tasks.num': bad });
    assert.equal(issues.length > 0 || bad === '', true, `tasks.num=${bad}`);
  }
  assert.deepEqual(validateConfig({ fields: [] }, { 'tasks.num': '4' }).issues, []);
});

test('non-string values are refused', () => {
  const { issues } = validateConfig(spec, { file: 5 as unknown as string });
  assert.match(issues[0]!.message, /must be a string/);
});
