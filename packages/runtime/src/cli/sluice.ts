#!/usr/bin/env -S node --max-semi-space-size=8
// The `sluice` command. `sluice standalone connect.conf [connector files…]` runs one worker.
//
// The V8 flag above caps the young generation at 3 × 8 MiB: Node 24 lets it grow to 3 × 64 MiB
// on a large machine, which at full speed costs ~100 MiB of RSS for ~4% less CPU
// (docs/benchmarks.md). `WORKER_NODE_FLAGS` in the test helper repeats it.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import fileConnectors from '@sluice/connector-file';
import kafkaConnectors from '@sluice/connector-kafka';
import { DistributedWorker } from '../cluster/distributed-worker.ts';
import { loadWorkerConfig, redactWorkerConfig, WorkerConfigError } from '../config/worker-config.ts';
import { type Readiness, startServer } from '../http/server.ts';
import { createLogger } from '../logging/logger.ts';
import { PluginRegistry } from '../plugins/plugin-registry.ts';
import { StandaloneWorker } from '../worker/standalone-worker.ts';
import { CLIENT_HELP, runClient, UsageError } from './client.ts';
import { readConnectorFile } from './connector-file.ts';

const HELP = `Usage:
  sluice standalone <connect.conf> [connector.properties|connector.json …] [--set key=value …]
  sluice worker <connect.conf> [--set key=value …]

standalone runs one worker with file-backed stores under storePathRootDir. worker joins the
cluster of every worker using the same name server: configs, positions and offsets live in
RocketMQ topics, and tasks are spread over the live workers. Worker settings come from the
config file, then SLUICE_* environment variables (SLUICE_HTTP_PORT for httpPort), then --set.
`;

/** Both worker commands: the config file, SLUICE_* variables and --set; a logger; the rest. */
async function startUp(args: string[], what: string) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { set: { type: 'string', multiple: true } },
  });
  const [configFile, ...rest] = positionals;
  if (!configFile) throw new WorkerConfigError(`missing the worker config file\n\n${HELP}`);
  const overrides: Record<string, string> = {};
  for (const s of values.set ?? []) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new WorkerConfigError(`--set takes key=value (got "${s}")`);
    overrides[s.slice(0, eq)] = s.slice(eq + 1);
  }
  const { config, warnings } = await loadWorkerConfig(configFile, { env: process.env, overrides });
  const logger = createLogger({ worker: config.workerId });
  for (const w of warnings) logger.warn(w);
  logger.info(`starting ${what}`, { config: redactWorkerConfig(config) });
  return { config, logger, rest };
}

async function standalone(args: string[]): Promise<void> {
  const { config, logger, rest: connectorFiles } = await startUp(args, 'standalone worker');
  const definitions = await Promise.all(connectorFiles.map(readConnectorFile));
  const registry = new PluginRegistry([fileConnectors, kafkaConnectors]);
  const worker = new StandaloneWorker(config, registry, logger);
  let stopping = false;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    await server?.close();
    await worker.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
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
    tls:
      config.httpTlsCertFile && config.httpTlsKeyFile
        ? { cert: await readFile(config.httpTlsCertFile), key: await readFile(config.httpTlsKeyFile) }
        : undefined,
  });
  logger.info('HTTP API listening', { address: `${config.httpBindAddress}:${config.httpPort}` });
  // Status lines for people and tests: the worker is up and which tasks run.
  process.stdout.write(
    `${JSON.stringify({ event: 'started', connectors: [...worker.connectors.keys()] })}\n`,
  );
}

async function clusterWorker(args: string[]): Promise<void> {
  const { config, logger, rest } = await startUp(args, 'cluster worker');
  if (rest.length > 0)
    throw new WorkerConfigError(`sluice worker takes one config file (got ${rest.join(' ')})`);
  const registry = new PluginRegistry([fileConnectors, kafkaConnectors]);
  const worker = new DistributedWorker(config, registry, logger);
  const tls =
    config.httpTlsCertFile && config.httpTlsKeyFile
      ? { cert: await readFile(config.httpTlsCertFile), key: await readFile(config.httpTlsKeyFile) }
      : undefined;
  // The API listens first: its address (maybe an ephemeral port) is part of our member id.
  let readiness: Readiness = 'STARTING';
  const server = await startServer(worker, {
    readiness: () => readiness,
    host: config.httpBindAddress,
    port: config.httpPort,
    authToken: config.httpAuthToken,
    tls,
  });
  const port = (server.server.address() as { port: number }).port;
  const url = config.advertisedUrl ?? `${tls ? 'https' : 'http'}://${config.httpBindAddress}:${port}`;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    readiness = 'STOPPING';
    logger.info('stopping', { signal });
    await worker.stop();
    await server.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await worker.start(url);
  readiness = 'UP';
  logger.info('joined the cluster', { url });
  process.stdout.write(`${JSON.stringify({ event: 'started', url, workerId: config.workerId })}\n`);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'standalone') return standalone(rest);
  if (command === 'worker') return clusterWorker(rest);
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${HELP}\n${CLIENT_HELP}`);
    return;
  }
  process.exitCode = await runClient(process.argv.slice(2));
}

main().catch((err: unknown) => {
  const usage =
    err instanceof UsageError ||
    err instanceof WorkerConfigError ||
    (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
  process.stderr.write(`sluice: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(usage ? 2 : 1);
});
