import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Producer, PullConsumer } from '@sluice/rocketmq';
import { useBrokers } from '@sluice/testkit';
import { ClusterConfig } from '../../src/cluster/cluster-config.ts';
import { DEFAULT_CLUSTER_NAMES, ensureClusterResources } from '../../src/cluster/cluster-resources.ts';
import type { ConfigOp } from '../../src/cluster/config-log.ts';
import { memberClientId } from '../../src/cluster/member-records.ts';
import { Membership } from '../../src/cluster/membership.ts';
import { TopicLog } from '../../src/cluster/topic-log.ts';
import { MemoryStore } from '../../src/stores/memory-store.ts';

const brokers = useBrokers({ kafka: false });
let namesrvAddr = '';
const closers: (() => Promise<void> | void)[] = [];

before(async () => {
  namesrvAddr = (await brokers.ready()).rocketmq!.namesrvAddr;
});

test.after(async () => {
  for (const c of closers.reverse()) await c();
});

async function member(
  workerId: string,
  topic: string,
  local = new MemoryStore<unknown>(),
): Promise<ClusterConfig> {
  const producer = new Producer({ namesrvAddr, group: `p-${workerId}` });
  const consumer = new PullConsumer({ namesrvAddr, group: `c-${workerId}` });
  const config = new ClusterConfig({
    log: new TopicLog({ topic, producer, consumer, pollMs: 500 }),
    workerId,
    local,
  });
  await config.open();
  closers.push(async () => {
    await config.close();
    producer.close();
    await consumer.close();
  });
  return config;
}

function snapshot(c: ClusterConfig) {
  return JSON.stringify([...c.connectors].sort(([a], [b]) => (a < b ? -1 : 1)));
}

test('the cluster topics and groups are created once, with one queue each', async () => {
  const first = await ensureClusterResources({ namesrvAddr }, DEFAULT_CLUSTER_NAMES, { createGroups: true });
  assert.equal(first.createdTopics.length, 4);
  const again = await ensureClusterResources({ namesrvAddr }, DEFAULT_CLUSTER_NAMES, { createGroups: true });
  assert.deepEqual(again.createdTopics, []);
});

test('1,000 random concurrent operations sent to three members leave all three in one state', async () => {
  await ensureClusterResources(
    { namesrvAddr },
    { ...DEFAULT_CLUSTER_NAMES, configTopic: 'cfg-random' },
    { createGroups: false },
  );
  const members = await Promise.all(['w1', 'w2', 'w3'].map((w) => member(w, 'cfg-random')));
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const types = ['create', 'update', 'enable', 'disable', 'remove'] as const;
  const results = await Promise.allSettled(
    Array.from({ length: 1000 }, (_, i) => {
      const type = types[rnd(types.length)]!;
      const name = `c${rnd(8)}`;
      const op: ConfigOp =
        type === 'create'
          ? { type, name, config: { v: String(i) } }
          : type === 'update'
            ? { type, name, changes: { v: String(i) } }
            : { type, name };
      return members[rnd(3)]!.submit(op);
    }),
  );
  const refused = results.filter((r) => r.status === 'rejected');
  for (const r of refused) {
    const code = ((r as PromiseRejectedResult).reason as { code?: string }).code;
    assert.ok(
      code === 'CONFLICT' || code === 'NOT_FOUND',
      `refusals are decided by the log, not failures: ${code} ${((r as PromiseRejectedResult).reason as Error).message}`,
    );
  }
  await Promise.all(members.map((m) => m.sync()));
  const states = members.map(snapshot);
  assert.equal(states[1], states[0]);
  assert.equal(states[2], states[0]);
  process.stdout.write(
    `# ${results.length - refused.length} applied, ${refused.length} refused by log order\n`,
  );

  const late = await member('w4', 'cfg-random');
  assert.equal(snapshot(late), states[0], 'a worker that starts empty reads the same state');
});

test('a restart continues from the local copy; a removed connector stays removed', async () => {
  await ensureClusterResources(
    { namesrvAddr },
    { ...DEFAULT_CLUSTER_NAMES, configTopic: 'cfg-restart' },
    { createGroups: false },
  );
  const local = new MemoryStore<unknown>();
  const a = await member('r1', 'cfg-restart', local);
  await a.submit({ type: 'create', name: 'x', config: { k: 'v' } });
  await a.submit({ type: 'create', name: 'y', config: { k: 'v' } });
  await a.submit({ type: 'remove', name: 'x' });
  await assert.rejects(a.submit({ type: 'create', name: 'y', config: {} }), /exists already/);
  const b = await member('r1-again', 'cfg-restart', local);
  assert.deepEqual([...b.connectors.keys()], ['y']);
  await b.writeSnapshot();
  await b.submit({ type: 'disable', name: 'y' });
  const c = await member('r3', 'cfg-restart');
  assert.equal(c.connectors.get('y')?.target, 'STOPPED');
  assert.equal(c.connectors.has('x'), false);
});

test('a twin with the same workerId: the process that joined later wins, the earlier one stops acting', async () => {
  const names = { ...DEFAULT_CLUSTER_NAMES, clusterTopic: 'twins', clusterGroup: 'twins-group' };
  await ensureClusterResources({ namesrvAddr }, names, { createGroups: true });
  const producer = new Producer({ namesrvAddr, group: 'twins-p' });
  closers.push(() => producer.close());
  const twin = async (n: string) => {
    const url = `http://127.0.0.1/${n}`;
    // The broker-facing consumer (its list) apart from the log's reader, so that the test can
    // drop the first twin from the broker's list the way 120 s of silence would.
    const listed = new PullConsumer({
      namesrvAddr,
      group: names.clusterGroup,
      clientId: memberClientId('t1', url),
    });
    const reader = new PullConsumer({ namesrvAddr, group: `twins-reader-${n}` });
    const superseded: string[] = [];
    const m = new Membership({
      workerId: 't1',
      url,
      log: new TopicLog({ topic: names.clusterTopic, producer, consumer: reader, pollMs: 200 }),
      consumer: listed,
      heartbeatMs: 300,
      timeoutMs: 30_000,
      onSuperseded: (err) => superseded.push(err.message),
    });
    await m.join();
    closers.push(async () => {
      await m.leave();
      await reader.close();
    });
    return { m, listed, superseded };
  };
  const until = async (what: string, ok: () => boolean) => {
    const deadline = Date.now() + 20_000;
    while (!ok()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const first = await twin('a');
  await until('the first twin’s lease', () => first.m.leaseValid());
  // Frozen past the broker's 120 s: no heartbeats, and the broker no longer lists it.
  first.m.halt();
  await first.listed.close();
  const second = await twin('b');
  await until('the second twin’s lease', () => second.m.leaseValid());
  await until('the first twin to be superseded', () => first.m.superseded);
  assert.equal(first.m.leaseValid(), false, 'it may never act again');
  assert.match(first.superseded[0] ?? '', /another process with workerId t1 .* joined after this one/);
  // A late heartbeat of the earlier twin (it woke up) does not unseat the later one.
  const writer = new PullConsumer({ namesrvAddr, group: 'twins-w' });
  closers.push(() => writer.close());
  const log = new TopicLog({ topic: names.clusterTopic, producer, consumer: writer });
  await log.append({
    kind: 'alive',
    workerId: 't1',
    url: 'http://127.0.0.1/a',
    clientId: 't1@a',
    instance: first.m.instance,
    joinedAt: '0',
    tasks: [],
  });
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(second.m.superseded, false);
  assert.equal(second.m.leaseValid(), true);
});

test('a state record over 4 MiB (a snapshot of 70,000 positions) is stored in parts and read back whole', async () => {
  await ensureClusterResources(
    { namesrvAddr },
    { ...DEFAULT_CLUSTER_NAMES, positionTopic: 'big-positions' },
    {
      createGroups: false,
    },
  );
  const producer = new Producer({ namesrvAddr, group: 'big-writer' });
  const consumer = new PullConsumer({ namesrvAddr, group: 'big-reader' });
  closers.push(async () => {
    producer.close();
    await consumer.close();
  });
  const log = new TopicLog<unknown>({ topic: 'big-positions', producer, consumer, pollMs: 500 });
  const entries = Object.fromEntries(
    Array.from({ length: 70_000 }, (_, i) => [
      `{"topic":"orders-${i % 97}","partition":${i}}`,
      { offset: i * 1000 },
    ]),
  );
  const record = { kind: 'snapshot', asOf: '41', entries, fences: {} };
  assert.ok(JSON.stringify(record).length > 4 * 1024 * 1024);
  const offset = await log.append(record);
  const got: { offset: bigint; value: unknown }[] = [];
  log.seek(0n);
  await log.readToEnd((e) => got.push(e));
  assert.equal(got.length, 1, 'one record, however many parts');
  assert.equal(got[0]!.offset, offset);
  assert.deepEqual(got[0]!.value, record);
});

// Last in this file: it restarts the broker.
test('a broker restart does not make live workers look dead (its consumer list starts empty)', async () => {
  const names = {
    ...DEFAULT_CLUSTER_NAMES,
    clusterTopic: 'members-restart',
    clusterGroup: 'members-restart-group',
  };
  await ensureClusterResources({ namesrvAddr }, names, { createGroups: true });
  // m1's consumer tells the restarted broker about itself well before m2's does: for those
  // seconds the broker lists m1 alone, which must not make m2 look dead.
  const join = async (workerId: string, consumerHeartbeatMs: number) => {
    const producer = new Producer({ namesrvAddr, group: `mp-${workerId}` });
    const url = `http://127.0.0.1/${workerId}`;
    const consumer = new PullConsumer({
      namesrvAddr,
      group: names.clusterGroup,
      clientId: memberClientId(workerId, url),
      heartbeatMs: consumerHeartbeatMs,
    });
    const m = new Membership({
      workerId,
      url,
      log: new TopicLog({ topic: names.clusterTopic, producer, consumer, pollMs: 500 }),
      consumer,
      heartbeatMs: 500,
      // Longer than the restart: silence must not be what this test sees.
      timeoutMs: 30_000,
    });
    await m.join();
    closers.push(async () => {
      await m.leave();
      producer.close();
    });
    return m;
  };
  const w1 = await join('m1', 1000);
  await join('m2', 8000);
  const ids = () =>
    w1
      .members()
      .map((m) => m.workerId)
      .join(',');
  const deadline = Date.now() + 20_000;
  while (ids() !== 'm1,m2') {
    if (Date.now() > deadline) assert.fail(`both members never showed up: ${ids()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const seen = new Set<string>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      seen.add(ids());
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  await brokers().rocketmq!.restartBroker('broker-a');
  // Past m2's next broker heartbeat (8 s) and a few refreshes of the list.
  await new Promise((r) => setTimeout(r, 11_000));
  sampling = false;
  await sampler;
  assert.deepEqual([...seen], ['m1,m2'], 'm2 was counted alive throughout');
});
