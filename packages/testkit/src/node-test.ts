import { after, afterEach, before } from 'node:test';
import { type Brokers, type BrokersOptions, startBrokers } from './brokers.ts';

/**
 * Brokers for one node:test file: started once before its tests, stopped after them, logs kept
 * (and their path printed) when any test of the file failed.
 *
 *     const brokers = useBrokers({ kafka: false });
 *     test('…', () => { brokers().rocketmq!.namesrvAddr … });
 */
export function useBrokers(opts: BrokersOptions = {}): () => Brokers {
  let brokers: Brokers | undefined;
  let failed = false;
  before(async () => {
    brokers = await startBrokers(opts);
  });
  afterEach((t) => {
    // `passed` is there since Node 21; @types/node does not declare it on every context type yet.
    if ((t as { passed?: boolean }).passed === false) failed = true;
  });
  after(async () => {
    await brokers?.stop({ keepLogs: failed });
  });
  return () => {
    if (!brokers)
      throw new Error('brokers are not started: call useBrokers() at the top level of a test file');
    return brokers;
  };
}
