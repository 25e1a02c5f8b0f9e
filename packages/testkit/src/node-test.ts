import { after, afterEach, before } from 'node:test';
import { type Brokers, type BrokersOptions, startBrokers } from './brokers.ts';

export interface BrokersHandle {
  /** The running brokers; valid inside tests (after the start hook finished). */
  (): Brokers;
  /**
   * Resolves once the brokers run. A file's own `before` hooks must await it: node:test starts
   * the top-level `before` hooks of a file side by side, not one after the other.
   */
  ready(): Promise<Brokers>;
}

/**
 * Brokers for one node:test file: started once before its tests, stopped after them, logs kept
 * (and their path printed) when any test of the file failed.
 *
 *     const brokers = useBrokers({ kafka: false });
 *     before(async () => { const { rocketmq } = await brokers.ready(); … });
 *     test('…', () => { brokers().rocketmq!.namesrvAddr … });
 */
export function useBrokers(opts: BrokersOptions = {}): BrokersHandle {
  let brokers: Brokers | undefined;
  let failed = false;
  let resolveReady: (b: Brokers) => void = () => {};
  let rejectReady: (err: unknown) => void = () => {};
  const ready = new Promise<Brokers>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => {}); // reported through the hook; no unhandled rejection if nobody awaits
  before(async () => {
    try {
      brokers = await startBrokers(opts);
      resolveReady(brokers);
    } catch (err) {
      rejectReady(err);
      throw err;
    }
  });
  afterEach((t) => {
    // `passed` is there since Node 21; @types/node does not declare it on every context type yet.
    if ((t as { passed?: boolean }).passed === false) failed = true;
  });
  after(async () => {
    await brokers?.stop({ keepLogs: failed });
  });
  const handle = () => {
    if (!brokers)
      throw new Error('brokers are not started: call useBrokers() at the top level of a test file');
    return brokers;
  };
  handle.ready = () => ready;
  return handle;
}
