import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { rawGet } from '../cluster/worker-process.ts';
import { useHttpWorker } from './http-worker.ts';

const http = useHttpWorker('http-1', 'seed');

/** Sends the path exactly as given (braces and quotes unencoded, as curl sends the seed's URLs). */
const get = (path: string, method = 'GET') => rawGet(`http://127.0.0.1:${http().port}`, path, method);

const cfg = (o: Record<string, unknown>) => encodeURIComponent(JSON.stringify(o));

test("the seed's two example URLs, sent as written, parse; with only the file connectors installed, no plugin matches them", async () => {
  for (const url of [
    '/connectors/create/kafkaSource?config={"tasks.num":"4","kafka.topics":"kafkaconnect","kafka.bootstrap.server":"127.0.0.1:9092"}',
    '/connectors/create/kafkaSink?config={"topicNames":"kafkaconnect","tasks.num":"2","kafka.bootstrap.server":"127.0.0.1:9092"}',
  ]) {
    const r = await get(url);
    assert.equal(r.status, 400, r.body);
    assert.match(r.body, /^failed:no installed plugin matches these keys/);
  }
  assert.deepEqual(http().worker.listConnectors(), []);
});

test('create, read, status, disable, enable, update, task count, remove — with the seed bodies', async () => {
  const source = { 'connector.class': 'FileStreamSource', file: join(http().dir, 'in.txt'), topic: 'seed' };
  assert.deepEqual(await get(`/connectors/create/src1?config=${cfg(source)}`), {
    status: 200,
    body: 'success',
  });
  const dup = await get(`/connectors/create/src1?config=${cfg(source)}`);
  assert.equal(dup.status, 409);
  assert.match(dup.body, /^failed:connector src1 exists already/);

  const all = JSON.parse((await get('/getConnectors')).body);
  assert.deepEqual(Object.keys(all), ['src1']);
  assert.equal(all.src1.properties.topic, 'seed');
  // What /getConnectors shows (with connectorName) may be sent back as it is.
  const shown = JSON.parse((await get('/getConnectors/src1')).body).properties;
  assert.equal(shown.connectorName, 'src1');
  assert.deepEqual(await get(`/connectors/update/src1?config=${cfg(shown)}`), {
    status: 200,
    body: 'success',
  });
  assert.deepEqual(
    http().worker.getConnector('src1').config,
    source,
    'nothing changed, connectorName not stored',
  );
  assert.equal(
    (await get(`/connectors/create/other?config=${cfg(shown)}`)).status,
    400,
    "another connector's name",
  );
  const one = JSON.parse((await get('/getConnectorTask/src1')).body);
  assert.equal(one.connector.properties.file, source.file);
  assert.equal(one.tasks.length, 1);
  const everything = JSON.parse((await get('/getConnectorTask')).body);
  assert.deepEqual(Object.keys(everything.taskConfigs), ['src1']);
  assert.equal((await get('/getConnectorsStatus/src1')).body, 'enable');
  const allocated = JSON.parse((await get('/getAllocatedTask')).body);
  assert.equal(allocated.runningTasks.length, 1);
  assert.deepEqual(JSON.parse((await get('/getClusterInfo')).body), ['http-1@standalone']);

  assert.deepEqual(await get('/connectors/single/src1/disable'), { status: 200, body: 'success' });
  assert.equal((await get('/getConnectorsStatus/src1')).body, 'disable');
  assert.equal((await get('/connectors/single/src1/disable')).status, 409);
  assert.deepEqual(await get('/connectors/single/src1/enable'), { status: 200, body: 'success' });

  assert.deepEqual(await get(`/connectors/update/src1?config=${cfg({ 'batch.size': '10' })}`), {
    status: 200,
    body: 'success',
  });
  assert.equal(http().worker.getConnector('src1').config['batch.size'], '10');
  const badUpdate = await get(`/connectors/update/src1?config=${cfg({ 'batch.size': '0' })}`);
  assert.equal(badUpdate.status, 400);
  assert.equal(
    http().worker.getConnector('src1').config['batch.size'],
    '10',
    'a refused update changes nothing',
  );
  assert.equal(
    http().worker.getConnector('src1').tasks[0]?.status.state,
    'RUNNING',
    'and the connector still runs',
  );

  assert.deepEqual(await get('/connectors/taskNum/src1/3'), {
    status: 200,
    body: 'oldTaskNum : 1 newTaskNum : 3',
  });
  for (const bad of ['0', '-1', 'abc', '99999999', '1.5']) {
    assert.equal((await get(`/connectors/taskNum/src1/${bad}`)).status, 400, `taskNum ${bad}`);
  }
  assert.equal(http().worker.getConnector('src1').config['tasks.num'], '3');

  assert.deepEqual(await get('/connectors/single/src1/remove'), { status: 200, body: 'success' });
  assert.equal((await get('/getConnectorsStatus/src1')).body, 'remove');
  assert.equal((await get('/getConnectors/src1')).status, 404);
  assert.equal((await get('/getConnectorTask/src1')).body, 'can`t find this connector');
  assert.equal((await get('/connectors/single/src1/remove')).status, 404);
});

test('all/enable, all/disable, all/remove', async () => {
  for (const n of ['a1', 'a2']) {
    await get(
      `/connectors/create/${n}?config=${cfg({ 'connector.class': 'FileStreamSource', file: join(http().dir, 'in.txt'), topic: 'seed' })}`,
    );
  }
  assert.equal((await get('/connectors/all/disable')).body, 'success');
  assert.deepEqual(
    http()
      .worker.listConnectors()
      .map((c) => c.enabled),
    [false, false],
  );
  assert.equal((await get('/connectors/all/enable')).body, 'success');
  assert.deepEqual(
    http()
      .worker.listConnectors()
      .map((c) => c.enabled),
    [true, true],
  );
  assert.equal((await get('/connectors/all/remove')).body, 'success');
  assert.deepEqual(http().worker.listConnectors(), []);
});

test('bad input gets a clear 4xx and changes nothing', async () => {
  const file = join(http().dir, 'in.txt');
  const cases: [string, RegExp][] = [
    ['/connectors/create/x?config={"a":', /not valid JSON/],
    ['/connectors/create/x?config=not-json', /not valid JSON/],
    ['/connectors/create/x', /missing the config parameter/],
    [`/connectors/create/x?config=${cfg({ 'tasks.num': { n: 4 }, file })}`, /strings, numbers or booleans/],
    [`/connectors/create/x?config=${cfg({ 'connector.class': 'Nope' })}`, /unknown connector class "Nope"/],
    [
      `/connectors/create/x?config=${cfg({ file, topic: 'seed', topics: 'seed' })}`,
      /fits several connectors/,
    ],
    [
      `/connectors/create/x?config=${cfg({ 'connector.class': 'FileStreamSource', file, topic: 'seed', 'tasks.num': '-1' })}`,
      /tasks.num/,
    ],
    [
      `/connectors/create/has%20space?config=${cfg({ 'connector.class': 'FileStreamSource', file, topic: 'seed' })}`,
      /connector name/,
    ],
    [
      `/connectors/create/..?config=${cfg({ 'connector.class': 'FileStreamSource', file, topic: 'seed' })}`,
      /connector name/,
    ],
    [
      `/connectors/create/%E5%90%8D?config=${cfg({ 'connector.class': 'FileStreamSource', file, topic: 'seed' })}`,
      /connector name/,
    ],
    [
      `/connectors/create/${'n'.repeat(10_000)}?config=${cfg({ 'connector.class': 'FileStreamSource', file, topic: 'seed' })}`,
      /./,
    ],
  ];
  for (const [path, why] of cases) {
    const r = await get(path);
    assert.ok(
      r.status >= 400 && r.status < 500,
      `${path.slice(0, 80)} → ${r.status} ${r.body.slice(0, 200)}`,
    );
    assert.match(r.body, why);
  }
  assert.equal((await get('/no/such/route')).status, 404);
  assert.equal((await get('/getConnectors', 'DELETE')).status, 405);
  assert.deepEqual(http().worker.listConnectors(), [], 'nothing was created');
});

test('50 concurrent creates, updates and deletes end in one consistent state', async () => {
  const file = join(http().dir, 'in.txt');
  const body = (i: number) =>
    cfg({ 'connector.class': 'FileStreamSource', file, topic: 'seed', 'batch.size': String(i + 1) });
  const same = await Promise.all(
    Array.from({ length: 50 }, (_, i) => get(`/connectors/create/race?config=${body(i)}`)),
  );
  assert.equal(same.filter((r) => r.status === 200).length, 1, 'one create wins');
  assert.equal(same.filter((r) => r.status === 409).length, 49);
  const mixed = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      i % 3 === 0
        ? get(`/connectors/update/race?config=${cfg({ 'batch.size': String(100 + i) })}`)
        : i % 3 === 1
          ? get(`/connectors/create/c${i}?config=${body(i)}`)
          : get(`/connectors/single/c${i - 1}/remove`),
    ),
  );
  assert.ok(
    mixed.every((r) => [200, 404, 409].includes(r.status)),
    mixed.map((r) => r.status).join(','),
  );
  const listed = http()
    .worker.listConnectors()
    .map((c) => c.name)
    .sort();
  const stored = http()
    .worker.storedConnectors.map(([n]) => n)
    .sort();
  const running = [...http().worker.connectors.keys()].sort();
  assert.deepEqual(listed, stored);
  assert.deepEqual(running, stored, 'what runs is what is stored');
  await get('/connectors/all/remove');
});
