import { KafkaWriter } from '@sluice/connector-kafka';
import { Producer } from '@sluice/rocketmq';
import { sleep } from '../../src/backoff.ts';

// Sequence-numbered records into the input side of each direction, at a steady rate, each batch
// sent again until acknowledged (a broker away for a while only slows the feed down).

/** Ticks per second of the feed. */
const TICKS_PER_S = 10;
const RETRY_MS = 500;
/** Keys spread records over every partition and queue; per key order is kept by both sides. */
const KEYS = 64;

export const seqValue = (seq: number) => Buffer.from(`chaos:${seq}`);

export function seqOf(value: Buffer | Uint8Array): number | undefined {
  const m = /^chaos:(\d+)$/.exec(Buffer.from(value).toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

type SendBatch = (seqs: number[]) => Promise<void>;

/** Feeds `rate` records/s through `send` until stopped; remembers every acknowledged seq. */
export class Feeder {
  readonly acked = new Set<number>();
  #next = 0;
  #stopped = false;
  #loop: Promise<void> | undefined;
  readonly #send: SendBatch;
  readonly #close: () => Promise<void> | void;
  failures = 0;

  constructor(send: SendBatch, close: () => Promise<void> | void) {
    this.#send = send;
    this.#close = close;
  }

  /** The next sequence number to be fed: scenarios start where the feed stands. */
  get position(): number {
    return this.#next;
  }

  start(rate: number): void {
    const perTick = Math.max(1, Math.round(rate / TICKS_PER_S));
    this.#loop = (async () => {
      let due = performance.now();
      while (!this.#stopped) {
        const seqs = Array.from({ length: perTick }, (_, i) => this.#next + i);
        this.#next += perTick;
        for (;;) {
          try {
            await this.#send(seqs);
            for (const s of seqs) this.acked.add(s);
            break;
          } catch {
            this.failures++;
            if (this.#stopped) break;
            await sleep(RETRY_MS);
          }
        }
        due += 1000 / TICKS_PER_S;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        else due = performance.now();
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
    await this.#close();
  }
}

export function kafkaFeeder(bootstrap: string, topic: string): Feeder {
  const writer = new KafkaWriter({ bootstrap: bootstrap.split(','), clientId: 'chaos-feeder' });
  return new Feeder(
    (seqs) =>
      writer.send(
        seqs.map((s) => ({ topic, key: Buffer.from(`k${s % KEYS}`), value: seqValue(s), headers: {} })),
      ),
    () => writer.close(),
  );
}

export function rocketmqFeeder(namesrvAddr: string, topic: string): Feeder {
  const producer = new Producer({ namesrvAddr, group: `chaos-feeder-${process.pid}` });
  return new Feeder(
    async (seqs) => {
      await Promise.all(
        seqs.map((s) =>
          producer.send({ topic, body: seqValue(s), keys: `k${s % KEYS}` }, { shardingKey: `k${s % KEYS}` }),
        ),
      );
    },
    () => producer.close(),
  );
}
