import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigSpec } from '@sluice/connect-api';
import { validateConfig } from '../../src/connector/validate-config.ts';
import { ERROR_KEYS } from '../../src/errant/policy.ts';

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
    ...Object.fromEntries(ERROR_KEYS.map((f) => [f.name, f.default])),
  });
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
