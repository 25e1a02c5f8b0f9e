import { SluiceError } from '../errors.ts';
import type { KeyValueStore } from '../stores/kv-store.ts';
import type { LogEntry, TopicLog } from './topic-log.ts';

/** Writes to the local copy are batched this long: the topic is the truth, the copy a cache. */
const LOCAL_SAVE_DELAY_MS = 500;

/**
 * Records of `connector-position-topic` and `connector-offset-topic`. Every write names the
 * connector and the epoch its tasks run under (the config-log offset of the assignment that
 * started them). A fence raises a connector's epoch: writes from an older epoch that come later
 * in the log — a worker that was cut off and woke up — are refused by every reader alike.
 */
export type StoreRecord<V> =
  | { kind: 'put'; connector: string; epoch: string; entries: [string, V | null][] }
  | { kind: 'fence'; connector: string; epoch: string }
  /**
   * Every entry and fence as of offset `asOf`, for readers that cannot start at the log's
   * beginning (the broker deleted old commit-log files). Readers with the full history skip it.
   */
  | { kind: 'snapshot'; asOf: string; entries: Record<string, V>; fences: Record<string, string> };

interface Local<V> {
  next: string;
  fences: Record<string, string>;
  entries: Record<string, V>;
}

const LOCAL_KEY = 'replicated';

/**
 * A key-value store shared by all workers through one topic, applied in log order with
 * `applyStoreRecord` so every worker ends with the same entries. Reads are local; writes go
 * through a connector's `writer`, which resolves once the broker stored the record.
 */
export class ReplicatedStore<V> implements KeyValueStore<V> {
  readonly #log: TopicLog<unknown>;
  readonly #local: KeyValueStore<unknown>;
  readonly #entries = new Map<string, V>();
  readonly #fences = new Map<string, bigint>();
  readonly #onError: (err: unknown) => void;
  #saveTimer: NodeJS.Timeout | undefined;

  constructor(
    log: TopicLog<unknown>,
    local: KeyValueStore<unknown>,
    onError: (err: unknown) => void = () => {},
  ) {
    this.#log = log;
    this.#local = local;
    this.#onError = onError;
  }

  async open(): Promise<void> {
    const saved = this.#local.get(LOCAL_KEY) as Local<V> | undefined;
    const min = await this.#log.minOffset();
    if (saved && BigInt(saved.next) >= min) {
      for (const [k, v] of Object.entries(saved.entries)) this.#entries.set(k, v);
      for (const [k, v] of Object.entries(saved.fences)) this.#fences.set(k, BigInt(v));
      this.#log.seek(BigInt(saved.next));
      await this.#log.readToEnd((e) => this.#apply(e));
    } else await this.#bootstrap(min);
    this.#log.follow(
      (e) => this.#apply(e),
      (err) => this.#onError(err),
    );
  }

  /**
   * Rebuilds from what the broker still keeps: from the start when it keeps everything, else
   * from the last snapshot with every write after its `asOf` on top. Two passes, so that memory
   * holds one snapshot at a time, never the whole retained log.
   */
  async #bootstrap(min: bigint): Promise<void> {
    let from = 0n;
    if (min > 0n) {
      let snap: Extract<StoreRecord<V>, { kind: 'snapshot' }> | undefined;
      let any = false;
      this.#log.seek(min);
      await this.#log.readToEnd((e) => {
        any = true;
        const r = e.value as StoreRecord<V> | undefined;
        if (r?.kind === 'snapshot') snap = r;
      });
      if (snap) {
        for (const [k, v] of Object.entries(snap.entries)) this.#entries.set(k, v);
        for (const [k, v] of Object.entries(snap.fences)) this.#fences.set(k, BigInt(v));
        from = BigInt(snap.asOf) + 1n;
      } else if (any)
        this.#onError(
          new Error(
            `${this.#log.topic}: older records were deleted and no snapshot is left; entries not rewritten since are lost`,
          ),
        );
    }
    this.#log.seek(min);
    await this.#log.readToEnd((e) => {
      if (e.offset >= from) this.#apply(e);
    });
  }

  /** Appends every entry and fence (the coordinator does it periodically on one worker). */
  async writeSnapshot(): Promise<void> {
    const record: StoreRecord<V> = {
      kind: 'snapshot',
      asOf: String(this.#log.position - 1n),
      entries: Object.fromEntries(this.#entries),
      fences: Object.fromEntries([...this.#fences].map(([k, v]) => [k, String(v)])),
    };
    await this.#log.append(record);
  }

  /** Resolves once everything the log held when called is applied here. */
  catchUp(timeoutMs?: number): Promise<void> {
    return this.#log.catchUp(timeoutMs);
  }

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  entries(): IterableIterator<[string, V]> {
    return this.#entries.entries();
  }

  fenceOf(connector: string): bigint {
    return this.#fences.get(connector) ?? -1n;
  }

  putAll(): Promise<void> {
    return Promise.reject(new Error('write through writer(connector, epoch)'));
  }

  /** Raises a connector's epoch: later writes of older epochs are refused. */
  async fence(connector: string, epoch: bigint): Promise<void> {
    const record: StoreRecord<V> = { kind: 'fence', connector, epoch: String(epoch) };
    await this.#log.append(record);
  }

  /**
   * The store as one connector's tasks write it. `mayWrite` is checked before every write: a
   * worker that lost its lease must not write at all, and the fence catches what slips through.
   */
  writer(connector: string, epoch: bigint, mayWrite: () => boolean = () => true): KeyValueStore<V> {
    return {
      get: (key) => this.get(key),
      entries: () => this.entries(),
      putAll: async (entries) => {
        if (!mayWrite())
          throw new SluiceError(
            'UNAVAILABLE',
            `${connector}: this worker lost its cluster lease; not writing`,
            {
              retriable: true,
            },
          );
        const record: StoreRecord<V> = {
          kind: 'put',
          connector,
          epoch: String(epoch),
          entries: [...entries].map(([k, v]) => [k, v ?? null]),
        };
        await this.#log.append(record);
      },
      close: async () => {},
    };
  }

  #apply(e: LogEntry<unknown>): void {
    if (applyStoreRecord(this.#entries, this.#fences, e.value as StoreRecord<V>) === 'refused')
      this.#onError(new Error(`${this.#log.topic}@${e.offset}: a write of a fenced epoch was refused`));
    this.#scheduleSave();
  }

  #scheduleSave(): void {
    // The local copy only speeds up restarts: saved at most every 500 ms, not per record.
    this.#saveTimer ??= setTimeout(() => {
      this.#saveTimer = undefined;
      this.#save().catch((err: unknown) => this.#onError(err));
    }, LOCAL_SAVE_DELAY_MS);
  }

  async #save(): Promise<void> {
    const local: Local<V> = {
      next: String(this.#log.position),
      fences: Object.fromEntries([...this.#fences].map(([k, v]) => [k, String(v)])),
      entries: Object.fromEntries(this.#entries),
    };
    await this.#local.putAll(new Map([[LOCAL_KEY, local]]));
  }

  async close(): Promise<void> {
    await this.#log.stop();
    clearTimeout(this.#saveTimer);
    await this.#save();
  }
}

/** Applies one record in place; the same on every worker. */
export function applyStoreRecord<V>(
  entries: Map<string, V>,
  fences: Map<string, bigint>,
  r: StoreRecord<V>,
): 'applied' | 'refused' | 'ignored' {
  if (!r || typeof r !== 'object' || r.kind === 'snapshot') return 'ignored';
  if (typeof r.connector !== 'string' || typeof r.epoch !== 'string' || !/^-?\d{1,20}$/.test(r.epoch))
    return 'ignored';
  const epoch = BigInt(r.epoch);
  const fence = fences.get(r.connector) ?? -1n;
  if (r.kind === 'fence') {
    if (epoch > fence) fences.set(r.connector, epoch);
    return 'applied';
  }
  if (r.kind !== 'put' || !Array.isArray(r.entries)) return 'ignored';
  if (epoch < fence) return 'refused';
  for (const [k, v] of r.entries) {
    if (v === null) entries.delete(k);
    else entries.set(k, v);
  }
  return 'applied';
}
