// @sluice/runtime: the worker, its stores, HTTP API and CLI. Public exports are named here.

export { loadWorkerConfig, parseWorkerConfig, type WorkerConfig } from './config/worker-config.ts';
export { type ConformanceCase, connectorConformance } from './conformance/connector-conformance.ts';
export { validateConfig } from './connector/validate-config.ts';
export { HTTP_STATUS, SluiceError, type SluiceErrorCode } from './errors.ts';
export { Herder } from './herder/herder.ts';
export type { ConnectorInfo, WorkerApi } from './herder/herder-api.ts';
export type { StateBackend } from './herder/state-backend.ts';
export { buildServer, startServer } from './http/server.ts';
export { PluginRegistry } from './plugins/plugin-registry.ts';
export { OWNER_HEADERS, ownerHeaders, readOwner, type TaskOwner } from './records/owner-headers.ts';
export { DistributedWorker } from './worker/distributed-worker.ts';
export { StandaloneWorker } from './worker/standalone-worker.ts';
