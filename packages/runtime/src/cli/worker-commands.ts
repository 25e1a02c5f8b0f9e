// The two commands that run a worker in this process: `sluice standalone` and `sluice worker`.
import { readFile } from 'node:fs/promises';
import type { Logger } from '@sluice/connect-api';
import { fileConnectors } from '@sluice/connector-file';
import kafkaConnectors from '@sluice/connector-kafka';
import { RocketMQError } from '@sluice/rocketmq';
import {
  loadWorkerConfig,
  openApiWarning,
  redactWorkerConfig,
  WorkerConfigError,
} from '../config/worker-config.ts';
import { type Readiness, startServer } from '../http/server.ts';
import { createWorkerLog } from '../logging/logger.ts';
import { PluginRegistry } from '../plugins/plugin-registry.ts';
import { DistributedWorker } from '../worker/distributed-worker.ts';
import { StandaloneWorker } from '../worker/standalone-worker.ts';
import { readConnectorFile } from './connector-file.ts';

const FILES_OFF =
  'the file connectors are not installed: set fileConnectorDirs to the directories they may use (docs/security.md)';

/** Options both worker commands take. */
export interface WorkerCommandOptions {
  /** `--set key=value`, in the order given; later ones win. */
  set: string[];
  /** `--pretty`: a log for people, not JSON lines. */
  pretty?: boolean;
}

/** Both worker commands: the config file, SLUICE_* variables and --set; a logger. */
async function startUp(configFile: string, options: WorkerCommandOptions, what: string) {
  const overrides: Record<string, string> = {};
  for (const s of options.set) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new WorkerConfigError(`--set takes key=value (got "${s}")`);
    overrides[s.slice(0, eq)] = s.slice(eq + 1);
  }
  const { config, warnings } = await loadWorkerConfig(configFile, { env: process.env, overrides });
  const { logger, admin: logs } = createWorkerLog(
    { worker: config.workerId },
    { level: config.logLevel, pretty: options.pretty === true },
  );
  for (const w of warnings) logger.warn(w);
  logger.info(`starting ${what}`, { config: redactWorkerConfig(config) });
  const exposure = openApiWarning(config);
  if (exposure) logger.warn(exposure);
  const tls =
    config.httpTlsCertFile && config.httpTlsKeyFile
      ? { cert: await readFile(config.httpTlsCertFile), key: await readFile(config.httpTlsKeyFile) }
      : undefined;
  // The file connectors read and write files as the worker's user: installed only when
  // fileConnectorDirs says where (Kafka Connect took its FileStream connectors off the default
  // plugin path in 3.2 for the same reason).
  const dirs = config.fileConnectorDirs;
  const registry = new PluginRegistry(
    dirs.length > 0 ? [fileConnectors({ allowedDirs: dirs }), kafkaConnectors] : [kafkaConnectors],
    dirs.length > 0 ? {} : { FileStreamSource: FILES_OFF, FileStreamSink: FILES_OFF },
  );
  return { config, logger, logs, tls, registry };
}

/** Stops once on SIGINT or SIGTERM, then exits. */
function onSignals(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    void stop().then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => handler('SIGINT'));
  process.on('SIGTERM', () => handler('SIGTERM'));
}

export async function standalone(
  configFile: string,
  connectorFiles: string[],
  options: WorkerCommandOptions,
): Promise<void> {
  const { config, logger, logs, tls, registry } = await startUp(configFile, options, 'standalone worker');
  const definitions = await Promise.all(connectorFiles.map(readConnectorFile));
  const worker = new StandaloneWorker(config, registry, logger);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  onSignals(async () => {
    await server?.close();
    await worker.stop();
  }, logger);
  // SIGHUP rescans pluginPaths: new and changed plugins load without a restart.
  process.on('SIGHUP', () => {
    void registry.load(config.pluginPaths).then(({ loaded, failures }) => {
      logger.info('plugins reloaded', { loaded });
      for (const f of failures) logger.error('plugin failed to load', { path: f.path, error: f.error });
    });
  });
  await worker.start();
  for (const d of definitions) {
    // A connector given again at start replaces its stored config.
    const state = worker.connectorState(d.name);
    if (state === 'enabled' || state === 'disabled') await worker.removeConnector(d.name);
    await worker.addConnector(d.name, d.config);
  }
  await worker.resumeStored(new Set(definitions.map((d) => d.name)));
  server = await startServer(worker, {
    host: config.httpBindAddress,
    port: config.httpPort,
    authToken: config.httpAuthToken,
    authExempt: config.httpAuthExempt,
    tls,
    logs,
    logger,
    metrics: worker.metrics,
    allowedOrigins: config.httpAllowedOrigins,
    seedRoutes: config.seedRoutes,
  });
  logger.info('HTTP API listening', { address: `${config.httpBindAddress}:${config.httpPort}` });
  // Status lines for people and tests: the worker is up and which tasks run.
  process.stdout.write(
    `${JSON.stringify({ event: 'started', connectors: [...worker.connectors.keys()] })}\n`,
  );
}

export async function clusterWorker(configFile: string, options: WorkerCommandOptions): Promise<void> {
  const { config, logger, logs, tls, registry } = await startUp(configFile, options, 'cluster worker');
  let stopNow: () => void = () => process.exit(1);
  const worker = new DistributedWorker(config, registry, logger, (err) => {
    // Superseded by a twin (its tasks already stopped: no lease) or reading a state log that is
    // not the cluster's: say why, stop what still runs, and exit non-zero.
    logger.error('this worker must stop', { error: err.message });
    stopNow();
  });
  // The API listens first: its address (maybe an ephemeral port) is part of our member id.
  let readiness: Readiness = 'STARTING';
  const server = await startServer(worker, {
    readiness: () => readiness,
    host: config.httpBindAddress,
    port: config.httpPort,
    authToken: config.httpAuthToken,
    authExempt: config.httpAuthExempt,
    tls,
    logs,
    logger,
    metrics: worker.metrics,
    allowedOrigins: config.httpAllowedOrigins,
    seedRoutes: config.seedRoutes,
  });
  const port = (server.server.address() as { port: number }).port;
  const url = config.advertisedUrl ?? `${tls ? 'https' : 'http'}://${config.httpBindAddress}:${port}`;
  const shutdown = async () => {
    readiness = 'STOPPING';
    await worker.stop();
    await server.close();
  };
  stopNow = () => void shutdown().finally(() => process.exit(1));
  onSignals(shutdown, logger);
  try {
    await worker.start(url);
  } catch (err) {
    await shutdown().catch(() => {});
    throw refusedAccount(err, config.accessKey) ?? err;
  }
  readiness = 'UP';
  logger.info('joined the cluster', { url });
  process.stdout.write(`${JSON.stringify({ event: 'started', url, workerId: config.workerId })}\n`);
}

/**
 * A worker whose RocketMQ account lacks a right cannot join: say which account, what was refused
 * (the broker's words, with the right the request needed) and what a worker's account needs.
 */
function refusedAccount(err: unknown, accessKey: string | undefined): Error | undefined {
  if (!(err instanceof RocketMQError) || err.code !== 'NO_PERMISSION') return undefined;
  return new Error(
    `RocketMQ refused this worker's account${accessKey ? ` (accessKey ${accessKey})` : ' (no accessKey set)'}: ${err.message}. ` +
      'A cluster worker needs Pub, Sub and Get on its state topics and Sub and Get on its groups, ' +
      'and Create to make them (see docs/security.md#rocketmq-acl); an admin account has all of these',
    { cause: err },
  );
}
