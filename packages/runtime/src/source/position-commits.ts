import type { Logger } from '@sluice/connect-api';
import { type TaskMetrics, timedCommit } from '../metrics/task-metrics.ts';
import type { PositionStore } from '../stores/position-store.ts';
import type { PositionTracker } from './position-tracker.ts';

export interface PositionCommitsOptions {
  connector: string;
  tracker: PositionTracker;
  positions: PositionStore;
  logger: Logger;
  metrics: TaskMetrics;
  /** The task's own commit hook, bounded by the call timeout. */
  hook: () => Promise<void>;
}

/**
 * A source task's position commits: every interval, on stop and when it fails, one at a time.
 * Only positions the tracker says every earlier record of was acknowledged are stored; a store
 * that fails keeps them for the next commit.
 */
export class PositionCommits {
  readonly #o: PositionCommitsOptions;
  #committing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;

  constructor(o: PositionCommitsOptions) {
    this.#o = o;
  }

  /** Commits every `intervalMs` until `stopTimer`. */
  every(intervalMs: number): void {
    this.#timer = setInterval(() => void this.commit(), intervalMs);
  }

  stopTimer(): void {
    clearInterval(this.#timer);
  }

  /** Stores every position that may be stored now. */
  commit(): Promise<void> {
    this.#committing = this.#committing.then(async () => {
      const { tracker, positions, connector, logger, metrics } = this.#o;
      const entries = tracker.takeCommittable();
      if (entries.length === 0) return;
      try {
        await timedCommit(metrics, () => positions.put(connector, entries));
      } catch (err) {
        tracker.restore(entries);
        logger.warn('storing source positions failed; will retry', { connector, error: String(err) });
        return;
      }
      try {
        await this.#o.hook();
      } catch (err) {
        logger.warn('task commit hook failed', { connector, error: String(err) });
      }
    });
    return this.#committing;
  }
}
