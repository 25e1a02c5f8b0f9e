import { join } from 'node:path';
import type { Brokers } from '@sluice/testkit';
import { sleep } from '../../src/backoff.ts';
import type { WorkerProcess } from '../cluster/worker-process.ts';

// The faults the chaos suite deals out, each one bounce: done, and the cluster whole again, when
// the promise resolves. Workers are real `sluice worker` processes; brokers are the test kit's.

export interface ChaosWorld {
  brokers: Brokers;
  dir: string;
  workers: Map<string, WorkerProcess>;
  memberTimeoutMs: number;
  startWorker(id: string, settings?: Record<string, string>): Promise<WorkerProcess>;
  /** One line for the run's event log. */
  note(event: string): void;
  random(): number;
}

export type FaultName = 'sigterm' | 'sigkill' | 'sigstop' | 'twin' | 'rocketmq-restart' | 'kafka-restart';

/** The same faults on the same workers for the same seed (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Waits for a worker's exit, SIGKILLing it after `ms`; resolves with its exit code. */
async function exitOf(w: WorkerProcess, ms: number): Promise<number | null | 'killed'> {
  const timer = sleep(ms).then(() => 'late' as const);
  const first = await Promise.race([w.exited, timer]);
  if (first !== 'late') return first;
  w.process.kill('SIGCONT');
  w.process.kill('SIGKILL');
  await w.exited;
  return 'killed';
}

function pick(world: ChaosWorld): WorkerProcess {
  const ids = [...world.workers.keys()].sort();
  return world.workers.get(ids[Math.floor(world.random() * ids.length)]!)!;
}

/** Starts a worker again, retrying while it is refused (a twin still listed, say). */
async function restart(world: ChaosWorld, id: string, settings?: Record<string, string>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      world.workers.set(id, await world.startWorker(id, settings));
      return;
    } catch (err) {
      if (attempt >= 20) throw err;
      const why = /workerId \S+ is already used by a live worker/.exec(String(err))?.[0];
      world.note(`${id} not started (${why ?? String(err).slice(0, 200)}); again in 5 s`);
      await sleep(5000);
    }
  }
}

async function bounce(world: ChaosWorld, sig: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const w = pick(world);
  w.process.kill(sig);
  const code = await exitOf(w, 60_000);
  world.note(`${sig} ${w.workerId}: exited ${code}`);
  if (sig === 'SIGKILL') await sleep(2000);
  await restart(world, w.workerId);
}

async function freeze(world: ChaosWorld): Promise<void> {
  const w = pick(world);
  w.process.kill('SIGSTOP');
  world.note(`SIGSTOP ${w.workerId}`);
  await sleep(world.memberTimeoutMs + 3000);
  w.process.kill('SIGCONT');
  world.note(`SIGCONT ${w.workerId}`);
  await sleep(3000);
}

/**
 * A worker frozen past its timeout and a replacement started under its workerId (as an
 * operator's supervisor would): the replacement is refused while the broker still lists the
 * frozen one, then joins; the frozen one, woken, must find itself superseded and exit.
 */
async function twin(world: ChaosWorld, n: number): Promise<{ supersededExit: boolean }> {
  const w = pick(world);
  w.process.kill('SIGSTOP');
  world.note(`SIGSTOP ${w.workerId}, then a twin`);
  await sleep(world.memberTimeoutMs + 2000);
  // Its own disk: a twin on another machine.
  await restart(world, w.workerId, { storePathRootDir: join(world.dir, `twin-store-${n}`) });
  w.process.kill('SIGCONT');
  const code = await exitOf(w, 30_000);
  world.note(`the frozen ${w.workerId}, woken: exited ${code}`);
  return { supersededExit: code !== 'killed' };
}

/** Restarts a RocketMQ master (alternately the state topics' home and the other). */
async function restartRocketMQ(world: ChaosWorld, n: number): Promise<void> {
  const rmq = world.brokers.rocketmq!;
  const names = rmq.brokers.map((b) => b.name).sort();
  const name = names[n % names.length]!;
  world.note(`restarting RocketMQ ${name}`);
  await rmq.restartBroker(name);
  world.note(`RocketMQ ${name} back`);
}

async function restartKafka(world: ChaosWorld): Promise<void> {
  const kafka = world.brokers.kafka!;
  // The last one: with several, the first is also the only controller.
  const id = kafka.brokers.at(-1)!.id;
  world.note(`restarting Kafka broker ${id}`);
  await kafka.restartBroker(id);
  world.note(`Kafka broker ${id} back`);
}

/** Deals one fault; `n` counts the faults of this kind so far. */
export async function deal(
  world: ChaosWorld,
  fault: FaultName,
  n: number,
): Promise<{ supersededExit?: boolean }> {
  switch (fault) {
    case 'sigterm':
      await bounce(world, 'SIGTERM');
      return {};
    case 'sigkill':
      await bounce(world, 'SIGKILL');
      return {};
    case 'sigstop':
      await freeze(world);
      return {};
    case 'twin':
      return twin(world, n);
    case 'rocketmq-restart':
      await restartRocketMQ(world, n);
      return {};
    case 'kafka-restart':
      await restartKafka(world);
      return {};
  }
}
