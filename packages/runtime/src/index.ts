// @sluice/runtime: the worker, its stores, HTTP API and CLI. Public exports are named here.
export { DistributedWorker } from './cluster/distributed-worker.ts';
export { loadWorkerConfig, parseWorkerConfig, type WorkerConfig } from './config/worker-config.ts';
export { type ConformanceCase, connectorConformance } from './conformance/connector-conformance.ts';
export { validateConfig } from './connector/validate-config.ts';
export { HTTP_STATUS, SluiceError, type SluiceErrorCode } from './errors.ts';
export { buildServer, startServer } from './http/server.ts';
export { PluginRegistry } from './plugins/plugin-registry.ts';
export { StandaloneWorker } from './worker/standalone-worker.ts';
export type { ConnectorInfo, WorkerApi } from './worker/worker-api.ts';
