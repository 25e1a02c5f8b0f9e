import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import fileConnectors from '@sluice/connector-file';
import { Admin } from '@sluice/rocketmq';
import { useBrokers } from '@sluice/testkit';
import type { FastifyInstance } from 'fastify';
import { parseWorkerConfig } from '../../src/config/worker-config.ts';
import { buildServer } from '../../src/http/server.ts';
import { createWorkerLog, silentLogger } from '../../src/logging/logger.ts';
import { PluginRegistry } from '../../src/plugins/plugin-registry.ts';
import { StandaloneWorker } from '../../src/worker/standalone-worker.ts';
import { secretPlugin } from './secret-plugin.ts';

export interface HttpWorker {
  dir: string;
  worker: StandaloneWorker;
  app: FastifyInstance;
  port: number;
  namesrvAddr: string;
}

/**
 * For one test file: real brokers, a topic, a standalone worker with the file connectors, and its
 * HTTP server on a free port; all stopped after the file. `dir/in.txt` exists for file sources.
 */
export function useHttpWorker(workerId: string, topic: string): () => HttpWorker {
  const brokers = useBrokers({ kafka: false });
  let fixture: HttpWorker | undefined;
  before(async () => {
    const { namesrvAddr } = (await brokers.ready()).rocketmq!;
    const admin = new Admin({ namesrvAddr });
    await admin.createTopic(topic, { readQueueNums: 2, writeQueueNums: 2 });
    admin.close();
    const dir = await mkdtemp(join(tmpdir(), 'sluice-http-'));
    await writeFile(join(dir, 'in.txt'), '');
    const { config } = parseWorkerConfig(
      `workerId=${workerId}\nstorePathRootDir=${join(dir, 'store')}\nnamesrvAddr=${namesrvAddr}\n`,
    );
    const worker = new StandaloneWorker(
      config,
      new PluginRegistry([fileConnectors, secretPlugin]),
      silentLogger,
    );
    await worker.start();
    const app = buildServer(worker, { logs: createWorkerLog().admin, metrics: worker.metrics });
    await app.listen({ host: '127.0.0.1', port: 0 });
    fixture = { dir, worker, app, port: (app.server.address() as { port: number }).port, namesrvAddr };
  });
  after(async () => {
    await fixture?.app.close();
    await fixture?.worker.stop();
    if (fixture) await rm(fixture.dir, { recursive: true, force: true });
  });
  return () => {
    if (!fixture) throw new Error('the HTTP worker is not started');
    return fixture;
  };
}
