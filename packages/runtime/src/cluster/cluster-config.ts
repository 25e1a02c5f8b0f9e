import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { refusedBeforeStore } from '@sluice/rocketmq';
import { BROKER_BACKOFF, retry } from '../backoff.ts';
import { SluiceError } from '../errors.ts';
import { normalizeStored, type StoredConnector } from '../state/stored-connector.ts';
import { CoalescedSave } from '../stores/coalesced-save.ts';
import type { KeyValueStore } from '../stores/kv-store.ts';
import type { AssignmentBody } from './assignment-record.ts';
import {
  type Assignment,
  applyConfigRecord,
  type ConfigOp,
  type ConfigRecord,
  type ConfigState,
  emptyConfigState,
  isConfigRecord,
  type Outcome,
  replayConfigLog,
  snapshotOf,
} from './config-log.ts';
import type { LogEntry, TopicLog } from './topic-log.ts';

/** How long a write waits to see its record applied (then 503, retriable). */
export const APPLY_TIMEOUT_MS = 15_000;
/** Operations between two snapshots the snapshot writer appends. */
export const SNAPSHOT_EVERY_OPS = 200;
/** The local copy of the state is saved at most this often (the log holds every change). */
export const LOCAL_SAVE_INTERVAL_MS = 1000;

export interface ClusterConfigOptions {
  log: TopicLog<unknown>;
  workerId: string;
  /** Local copy of the state and the log offset it reflects: restarts read only what is new. */
  local: KeyValueStore<unknown>;
  /** How long a write waits to see its record applied (default 15 s). */
  applyTimeoutMs?: number;
  /** Operations between snapshots written by this worker when it is the snapshot writer (default 200). */
  snapshotEvery?: number;
  onError?: (err: unknown) => void;
}

const LOCAL_KEY = 'config-state';

/**
 * The cluster's connector configs, kept as `connector-config-topic` says. Writes append an
 * operation and resolve with its outcome once this worker has applied it in log order (so the
 * caller reads its own write); every worker emits `change` after applying records.
 */
export class ClusterConfig extends EventEmitter<{ change: [] }> {
  readonly #opts: ClusterConfigOptions;
  #state: ConfigState = emptyConfigState();
  readonly #waiting = new Map<string, (o: Outcome) => void>();
  #sinceSnapshot = 0;
  readonly #localSaves: CoalescedSave;
  /** Whether this worker writes snapshots (the coordinator sets it on one worker). */
  snapshotWriter = false;

  constructor(opts: ClusterConfigOptions) {
    super();
    this.#opts = opts;
    this.#localSaves = new CoalescedSave(
      () => this.#saveLocal(),
      LOCAL_SAVE_INTERVAL_MS,
      (err) => opts.onError?.(err),
    );
  }

  get connectors(): ReadonlyMap<string, StoredConnector> {
    return this.#state.connectors;
  }

  get assignment(): Assignment | undefined {
    return this.#state.assignment;
  }

  /** The epoch a connector's tasks run under (see ConfigState.epochs). */
  epochOf(name: string): bigint | undefined {
    return this.#state.epochs.get(name);
  }

  /** Appends an assignment; it takes effect when read back, in log order. */
  async assign(body: AssignmentBody): Promise<void> {
    const record: ConfigRecord = { kind: 'assignment', by: this.#opts.workerId, ...body };
    await this.#opts.log.append(record);
  }

  /** Records of the config log not applied here yet (as of its last read). */
  get lag(): number {
    return this.#opts.log.lag;
  }

  /** The offset of the last record applied: the config version every worker agrees on. */
  get version(): bigint {
    return this.#state.applied;
  }

  /** Loads the state: the local copy plus what the log holds after it, or the log's last snapshot. */
  async open(): Promise<void> {
    const { log } = this.#opts;
    const min = await log.minOffset();
    const saved = this.#opts.local.get(LOCAL_KEY) as
      | {
          applied: string;
          connectors: Record<string, StoredConnector>;
          assignment?: Assignment;
          epochs?: Record<string, string>;
        }
      | undefined;
    const base: ConfigState | undefined = saved
      ? {
          applied: BigInt(saved.applied),
          connectors: new Map(Object.entries(saved.connectors).map(([k, v]) => [k, normalizeStored(v)])),
          assignment: saved.assignment,
          epochs: new Map(Object.entries(saved.epochs ?? {}).map(([k, v]) => [k, BigInt(v)])),
        }
      : undefined;
    const from = base && base.applied + 1n >= min ? base.applied + 1n : min;
    const complete = from === 0n || (base !== undefined && base.applied + 1n >= min);
    log.seek(from);
    const entries: LogEntry<ConfigRecord>[] = [];
    await log.readToEnd((e) => {
      if (isConfigRecord(e.value)) entries.push(e as LogEntry<ConfigRecord>);
    });
    const state = replayConfigLog(entries, complete ? { complete, ...(base ? { base } : {}) } : { complete });
    if (!state)
      throw new SluiceError(
        'INTERNAL',
        `${log.topic} starts at offset ${min} (older records were deleted) and holds no snapshot: the connector configs cannot be rebuilt`,
      );
    if (entries.length > 0) state.applied = entries.at(-1)!.offset;
    this.#state = state;
    await this.#saveLocal();
    log.follow(
      (e) => this.#apply(e),
      (err) => this.#opts.onError?.(err),
    );
  }

  /** Appends an operation and resolves with what applying it in log order decided. */
  async submit(op: ConfigOp): Promise<void> {
    const id = randomUUID();
    const outcome = new Promise<Outcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(
          new SluiceError(
            'UNAVAILABLE',
            `the config change was not seen in ${this.#opts.log.topic} in time`,
            {
              retriable: true,
            },
          ),
        );
      }, this.#opts.applyTimeoutMs ?? APPLY_TIMEOUT_MS);
      this.#waiting.set(id, (o) => {
        clearTimeout(timer);
        resolve(o);
      });
    });
    const record: ConfigRecord = { kind: 'op', id, worker: this.#opts.workerId, op };
    try {
      // A busy broker that refused the record stored nothing: sending it again is safe. A config
      // change is not in a hurry: a slow broker gets more than a data send's 3 s to answer,
      // since a timeout leaves the caller not knowing whether the change was stored.
      const applyMs = this.#opts.applyTimeoutMs ?? APPLY_TIMEOUT_MS;
      await retry(() => this.#opts.log.append(record, applyMs / 3), {
        policy: BROKER_BACKOFF,
        retriable: refusedBeforeStore,
        forMs: (this.#opts.applyTimeoutMs ?? APPLY_TIMEOUT_MS) / 2,
      });
    } catch (err) {
      this.#waiting.get(id)?.({ ok: true });
      this.#waiting.delete(id);
      const maybe = refusedBeforeStore(err)
        ? ''
        : ' (it may have been stored: read the connector before sending it again)';
      throw new SluiceError(
        'UNAVAILABLE',
        `could not write to ${this.#opts.log.topic}${maybe}: ${(err as Error).message}`,
        {
          cause: err,
          retriable: true,
        },
      );
    }
    const o = await outcome;
    if (!o.ok) throw new SluiceError(o.code, o.message);
  }

  async #saveLocal(): Promise<void> {
    await this.#opts.local.putAll(
      new Map([
        [
          LOCAL_KEY,
          {
            applied: String(this.#state.applied),
            connectors: Object.fromEntries(this.#state.connectors),
            assignment: this.#state.assignment,
            epochs: Object.fromEntries([...this.#state.epochs].map(([k, v]) => [k, String(v)])),
          },
        ],
      ]),
    );
  }

  #apply(e: LogEntry<unknown>): void {
    if (!isConfigRecord(e.value)) {
      this.#state.applied = e.offset;
      return;
    }
    const outcome = applyConfigRecord(this.#state, e.offset, e.value);
    if (e.value.kind === 'assignment') {
      // not an operation: no waiter, and no snapshot count
    } else if (e.value.kind === 'op') {
      this.#sinceSnapshot++;
      const waiter = this.#waiting.get(e.value.id);
      if (waiter && outcome) {
        this.#waiting.delete(e.value.id);
        waiter(outcome);
      }
    } else this.#sinceSnapshot = 0;
    this.#localSaves.changed();
    if (this.snapshotWriter && this.#sinceSnapshot >= (this.#opts.snapshotEvery ?? SNAPSHOT_EVERY_OPS)) {
      this.#sinceSnapshot = 0;
      this.writeSnapshot().catch((err: unknown) => this.#opts.onError?.(err));
    }
    this.emit('change');
  }

  /** Resolves once this worker has applied everything the log held when it was called. */
  sync(timeoutMs?: number): Promise<void> {
    return this.#opts.log.catchUp(timeoutMs);
  }

  /** Appends the whole current state, so readers of a truncated log can still rebuild it. */
  async writeSnapshot(): Promise<void> {
    await this.#opts.log.append(snapshotOf(this.#state));
  }

  async close(): Promise<void> {
    await this.#opts.log.stop();
    this.#localSaves.changed();
    await this.#localSaves.flush();
  }
}
