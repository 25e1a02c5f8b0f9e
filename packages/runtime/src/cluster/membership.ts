import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { PullConsumer } from '@sluice/rocketmq';
import { SluiceError } from '../errors.ts';
import {
  type ClusterRecord,
  type Member,
  memberClientId,
  type ReportedTasks,
  type TaskReport,
} from './member-records.ts';
import type { TopicLog } from './topic-log.ts';

/** Defaults for direct use; workers pass their keys heartbeatIntervalMs and memberTimeoutMs. */
export const HEARTBEAT_MS = 2000;
export const MEMBER_TIMEOUT_MS = 10_000;
/** Our heartbeats stored after an unlisted worker's last one, when it counts dead (log, not clock). */
export const UNLISTED_MISSED_BEATS = 3;
/** How long a stopping worker tries to say goodbye. */
const LEAVE_TIMEOUT_MS = 2000;

export interface MembershipOptions {
  workerId: string;
  url: string;
  /** `connector-cluster-topic`. */
  log: TopicLog<unknown>;
  /** A consumer of `connector-cluster-group` with this worker's client id. */
  consumer: PullConsumer;
  /** How often this worker says it is alive (default 2 s). */
  heartbeatMs?: number;
  /** Silence after which others count a worker dead (default 10 s). */
  timeoutMs?: number;
  /** What this worker's tasks are doing, for the heartbeats. */
  report?: () => TaskReport[];
  /** How far this worker has applied the config log, sent with each report. */
  applied?: () => bigint;
  onError?: (err: unknown) => void;
  /**
   * Another process with this workerId joined after this one (it was frozen, say, and a
   * replacement started): this one may never act again and should exit.
   */
  onSuperseded?: (err: SluiceError) => void;
}

/**
 * Who is alive. Two sources, because each alone is too slow for one kind of death: the
 * broker's consumer list of `connector-cluster-group` drops a killed worker at once (its socket
 * closes) but keeps a frozen one (SIGSTOP) for 120 s; heartbeat records on
 * `connector-cluster-topic` stop at once for both. A worker the list dropped counts dead once
 * `UNLISTED_MISSED_BEATS` of our own heartbeats were stored after its last one (a few seconds,
 * not `timeoutMs`); a list alone is not enough, it starts empty after a broker restart.
 * Times are measured on this worker's own
 * monotonic clock from when it read a record, never compared across machines.
 *
 * This worker's lease: it may act as a member only while its own last heartbeat was stored
 * less than `timeoutMs / 2` ago. Others count it dead `timeoutMs` after they last read one,
 * so a worker that was frozen has stopped acting before anyone takes its tasks over.
 */
export class Membership extends EventEmitter<{ change: [Member[]] }> {
  readonly #opts: MembershipOptions;
  readonly #seen = new Map<
    string,
    {
      member: Member;
      at: number;
      tasks: TaskReport[];
      applied?: bigint;
      instance?: string;
      /** Our heartbeats read back since this one. */
      missed: number;
    }
  >();
  /** Client ids the broker listed at some point, and the latest list. */
  readonly #registered = new Set<string>();
  #listed = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #confirmedAt = -Infinity;
  #seq = 0;
  /** Our heartbeats not read back yet: seq → when it was sent. */
  readonly #pending = new Map<number, number>();
  #last = '';
  readonly clientId: string;
  /** Random per process: a twin with our workerId has another one. */
  readonly instance = randomUUID();
  /** Log offset of our own first heartbeat, once read back: when we joined. */
  #firstOffset: bigint | undefined;
  #superseded = false;

  constructor(opts: MembershipOptions) {
    super();
    this.#opts = opts;
    this.clientId = memberClientId(opts.workerId, opts.url);
  }

  get timeoutMs(): number {
    return this.#opts.timeoutMs ?? MEMBER_TIMEOUT_MS;
  }

  /** Joins: refuses a second live worker with this workerId, then heartbeats until `leave`. */
  async join(): Promise<void> {
    const { consumer, log, workerId } = this.#opts;
    const ids = await consumer.consumerIds(consumer.group, log.topic).catch(() => [] as string[]);
    const twin = ids.find((id) => id.startsWith(`${workerId}@`));
    if (twin)
      throw new SluiceError(
        'CONFLICT',
        `workerId ${workerId} is already used by a live worker (${twin}); every worker needs its own workerId`,
      );
    await consumer.subscribe(log.topic);
    consumer.on('consumerIdsChanged', () => void this.#refreshList());
    await this.#refreshList();
    // Recent heartbeats of workers the broker lists tell who is there without waiting a period.
    const end = await log.endOffset();
    const min = await log.minOffset();
    log.seek(end - 500n > min ? end - 500n : min);
    await log.readToEnd((e) => this.#apply(e.value, true, e.offset));
    await this.#beat();
    log.follow(
      (e) => this.#apply(e.value, false, e.offset),
      (err) => this.#opts.onError?.(err),
    );
    this.#timer = setInterval(() => void this.#beat(), this.#opts.heartbeatMs ?? HEARTBEAT_MS);
    this.#timer.unref();
  }

  /** Live members, sorted by workerId. */
  members(): Member[] {
    const now = performance.now();
    return [...this.#seen.values()]
      .filter(
        (s) =>
          now - s.at < this.timeoutMs &&
          !(
            this.#registered.has(s.member.clientId) &&
            !this.#listed.has(s.member.clientId) &&
            s.missed >= UNLISTED_MISSED_BEATS
          ),
      )
      .map((s) => s.member)
      .sort((a, b) => (a.workerId < b.workerId ? -1 : a.workerId > b.workerId ? 1 : 0));
  }

  /** Task reports of live members, as last heard. */
  reports(): ReportedTasks[] {
    const live = new Set(this.members().map((m) => m.workerId));
    return [...this.#seen.entries()]
      .filter(([id]) => live.has(id))
      .map(([workerId, s]) => ({
        workerId,
        tasks: s.tasks,
        heardMs: performance.now() - s.at,
        ...(s.applied === undefined ? {} : { applied: s.applied }),
      }));
  }

  /** Whether this worker may still act as a member (see the class comment). */
  leaseValid(): boolean {
    return !this.#superseded && performance.now() - this.#confirmedAt < this.timeoutMs / 2;
  }

  /** Whether a later process with this workerId took over (see onSuperseded). */
  get superseded(): boolean {
    return this.#superseded;
  }

  /** Checks the member list now (the coordinator calls it on a timer, too). */
  check(): void {
    const key = this.members()
      .map((m) => m.clientId)
      .join(',');
    if (key !== this.#last) {
      this.#last = key;
      this.emit('change', this.members());
    }
  }

  /** Heartbeats now (after local tasks started or stopped), so others need not wait a period. */
  beatNow(): void {
    void this.#beat();
  }

  async #beat(): Promise<void> {
    if (this.#superseded) return;
    const started = performance.now();
    const { workerId, url } = this.#opts;
    const seq = ++this.#seq;
    // The lease starts only when we read this heartbeat back: by then we have also read every
    // record before it, so our view of the others is as fresh as our lease.
    this.#pending.set(seq, started);
    const record: ClusterRecord = {
      kind: 'alive',
      seq,
      workerId,
      url,
      clientId: this.clientId,
      instance: this.instance,
      ...(this.#firstOffset !== undefined ? { joinedAt: String(this.#firstOffset) } : {}),
      tasks: this.#opts.report?.() ?? [],
      ...(this.#opts.applied ? { applied: String(this.#opts.applied()) } : {}),
    };
    try {
      await this.#opts.log.append(record, Math.max(1000, this.timeoutMs / 4));
    } catch (err) {
      this.#pending.delete(seq);
      this.#opts.onError?.(err);
    }
    await this.#refreshList();
    this.check();
  }

  async #refreshList(): Promise<void> {
    const { consumer, log } = this.#opts;
    try {
      const ids = await consumer.consumerIds(consumer.group, log.topic);
      // The broker's list counts only when it lists this worker too: right after a broker
      // restart every list is empty until each worker's next consumer heartbeat, and treating
      // everyone as gone then would move every task in the cluster. Until it lists us again,
      // the last good list stands and silence (heartbeat records) is what tells a death.
      if (!ids.includes(this.clientId)) return;
      this.#listed = new Set(ids);
      for (const id of ids) this.#registered.add(id);
      this.check();
    } catch (err) {
      this.#opts.onError?.(err);
    }
  }

  #apply(value: unknown, history: boolean, offset: bigint): void {
    const r = value as ClusterRecord;
    if (!r || typeof r !== 'object' || typeof r.workerId !== 'string') return;
    if (!history && r.kind === 'alive' && r.workerId === this.#opts.workerId) this.#sameId(r, offset);
    if (r.kind === 'leave') {
      // Only the process that left: a twin that took its workerId over stays.
      const seen = this.#seen.get(r.workerId);
      if (!r.instance || !seen?.instance || seen.instance === r.instance) this.#seen.delete(r.workerId);
    } else if (r.kind === 'alive' && typeof r.url === 'string' && typeof r.clientId === 'string') {
      if (!history && r.clientId === this.clientId && typeof r.seq === 'number') {
        const sent = this.#pending.get(r.seq);
        if (sent !== undefined) this.#confirmedAt = Math.max(this.#confirmedAt, sent);
        for (const k of this.#pending.keys()) if (k <= r.seq) this.#pending.delete(k);
        for (const seen of this.#seen.values()) seen.missed++;
      }
      if (history && !this.#listed.has(r.clientId)) return;
      // History tells who might be there; only a fresh heartbeat starts the clock.
      this.#seen.set(r.workerId, {
        member: { workerId: r.workerId, url: r.url, clientId: r.clientId },
        at: history ? performance.now() - this.timeoutMs / 2 : performance.now(),
        tasks: Array.isArray(r.tasks) ? r.tasks : [],
        ...(typeof r.applied === 'string' && /^-?\d+$/.test(r.applied) ? { applied: BigInt(r.applied) } : {}),
        ...(typeof r.instance === 'string' ? { instance: r.instance } : {}),
        missed: 0,
      });
    }
    if (!history) this.check();
  }

  /**
   * A heartbeat with our workerId. The log orders every process's first heartbeat: of two with
   * one workerId, the one that joined later wins and the earlier one is superseded for good — it
   * reads the later one's heartbeats before its own next one, so it stops acting before its lease
   * could be renewed. A twin that joined earlier is left to find that out itself.
   */
  #sameId(r: Extract<ClusterRecord, { kind: 'alive' }>, offset: bigint): void {
    if (r.instance === this.instance) {
      this.#firstOffset ??= offset;
      return;
    }
    if (typeof r.instance !== 'string' || this.#superseded) return;
    // A twin that does not know its own join yet is just joining: at about this offset.
    const twin = typeof r.joinedAt === 'string' && /^\d+$/.test(r.joinedAt) ? BigInt(r.joinedAt) : offset;
    if (this.#firstOffset === undefined || twin < this.#firstOffset) return;
    this.#superseded = true;
    clearInterval(this.#timer);
    const err = new SluiceError(
      'CONFLICT',
      `another process with workerId ${this.#opts.workerId} (${r.clientId}) joined after this one: this one stops acting`,
    );
    this.#opts.onError?.(err);
    this.#opts.onSuperseded?.(err);
  }

  /** Says goodbye (others rebalance at once) and stops heartbeating. */
  async leave(): Promise<void> {
    clearInterval(this.#timer);
    const record: ClusterRecord = {
      kind: 'leave',
      workerId: this.#opts.workerId,
      clientId: this.clientId,
      instance: this.instance,
    };
    await this.#opts.log.append(record, LEAVE_TIMEOUT_MS).catch(() => {});
    await this.#opts.log.stop();
    await this.#opts.consumer.close();
  }

  /** Stops heartbeating without a goodbye (tests: a worker that just vanishes). */
  halt(): void {
    clearInterval(this.#timer);
  }
}
