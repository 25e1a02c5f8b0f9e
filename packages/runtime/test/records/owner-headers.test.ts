import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sinkToKafka } from '@sluice/connector-kafka';
import type { Producer } from '@sluice/rocketmq';
import { parseWorkerConfig } from '../../src/config/worker-config.ts';
import { toMessage } from '../../src/records/message-mapping.ts';
import { ownerHeaders, readOwner } from '../../src/records/owner-headers.ts';
import type { OffsetStore } from '../../src/stores/offset-store.ts';
import type { PositionStore } from '../../src/stores/position-store.ts';
import { runtimeDeps } from '../../src/worker/runtime-deps.ts';

const owner = { connector: 'c1', task: 2, epoch: 41n, worker: 'w3' };
const at = { sourcePartition: { file: 'f' }, sourcePosition: { line: 1 } };

test('owner headers name connector, task, epoch and worker, and read back', () => {
  const h = ownerHeaders(owner);
  assert.deepEqual(h, {
    'sluice.connector': 'c1',
    'sluice.task': '2',
    'sluice.epoch': '41',
    'sluice.worker': 'w3',
  });
  assert.deepEqual(readOwner(h), owner);
  assert.equal(readOwner({ ...h, 'sluice.epoch': 'x' }), undefined);
  assert.equal(readOwner({}), undefined);
});

test('a source message carries its writer, replacing headers of those names the record had', () => {
  const m = toMessage(
    { ...at, topic: 't', value: Buffer.from('v'), headers: { a: '1', 'sluice.worker': 'someone-else' } },
    ownerHeaders(owner),
  );
  assert.equal(m.properties?.a, '1');
  assert.deepEqual(readOwner(m.properties ?? {}), owner);
  assert.equal(toMessage({ ...at, topic: 't', value: Buffer.from('v') }).properties, undefined);
});

test('the Kafka sink adds the owner headers it is given', () => {
  const record = {
    queue: { topic: 'rq', brokerName: 'b', queueId: 0 },
    offset: 0n,
    topic: 'rq',
    value: Buffer.from('v'),
    headers: { 'sluice.epoch': '7' },
    timestamp: 1,
    msgId: 'm',
  };
  const out = sinkToKafka(record, 'k', { enabled: false, marker: 'm' }, ownerHeaders(owner));
  const got = Object.fromEntries(
    [...(out!.headers as Map<Buffer, Buffer>)].map(([k, v]) => [String(k), String(v)]),
  );
  assert.deepEqual(readOwner(got), owner);
});

test('ownerHeaders=false: tasks get no owner to write', () => {
  const parts = {
    producer: {} as Producer,
    positions: {} as PositionStore,
    offsets: {} as OffsetStore,
    logger: console,
    epoch: 5n,
  };
  const base = 'workerId=w1\nstorePathRootDir=/tmp/x\nnamesrvAddr=127.0.0.1:9876\n';
  const on = parseWorkerConfig(base).config;
  assert.deepEqual(runtimeDeps(on, parts).owner, { worker: 'w1', epoch: 5n });
  const off = parseWorkerConfig(`${base}ownerHeaders=false\n`).config;
  assert.equal(runtimeDeps(off, parts).owner, undefined);
});
