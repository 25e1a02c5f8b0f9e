import type { ConnectorConfig } from '@sluice/connect-api';
import { SluiceError } from '../errors.ts';
import { initialTarget, withName } from '../herder/connector-input.ts';
import type { ConnectorInfo, ConnectorReads, TaskInfo } from '../herder/herder-api.ts';
import type { TargetState } from '../state/stored-connector.ts';
import { connectorState } from '../task/connector-status.ts';
import { configObject } from './config-param.ts';
import { maskSecrets } from './secrets.ts';

// The bodies of the resource API, in Kafka Connect's shapes, built from what the herder reports.

export type Name = { Params: { name: string } };

/** Where a connector's resource lives (the Location of a 201). */
export const connectorPath = (name: string) => `/connectors/${encodeURIComponent(name)}`;

export function infoBody(api: ConnectorReads, c: ConnectorInfo) {
  return {
    name: c.name,
    config: withName(c.name, maskSecrets(api, c.config)),
    tasks: c.tasks.map((t) => ({ connector: c.name, task: t.id })),
    type: c.type,
  };
}

export function taskStatusBody(t: TaskInfo, version?: string) {
  return {
    id: t.id,
    state: t.status.state,
    worker_id: t.workerId,
    ...(version ? { version } : {}),
    ...(t.status.trace ? { trace: t.status.trace } : {}),
    ...(t.status.errors ? { errors: t.status.errors } : {}),
    ...(t.status.restart ? { restart: t.status.restart } : {}),
  };
}

export function statusBody(api: ConnectorReads, c: ConnectorInfo) {
  return {
    name: c.name,
    connector: {
      state: connectorState(
        c.target,
        c.trace,
        c.tasks.map((t) => t.status),
      ),
      worker_id: api.workerId,
      ...(c.version ? { version: c.version } : {}),
      ...(c.trace ? { trace: c.trace } : {}),
    },
    tasks: c.tasks.map((t) => taskStatusBody(t, c.version)),
    type: c.type,
  };
}

/** `true`/`false` query flags; anything else is a 400. */
export function flag(name: string, v: string | undefined): boolean {
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  throw new SluiceError('BAD_REQUEST', `${name} must be true or false`);
}

/** The body of `POST /connectors`: name, config and Kafka Connect's optional initial_state. */
export function createBody(raw: unknown): { name: string; config: ConnectorConfig; target: TargetState } {
  if (!raw || typeof raw !== 'object')
    throw new SluiceError('BAD_REQUEST', 'the body must be {"name": …, "config": {…}}');
  const { name, config, initial_state } = raw as {
    name?: unknown;
    config?: unknown;
    initial_state?: unknown;
  };
  if (typeof name !== 'string') throw new SluiceError('BAD_REQUEST', 'the body needs a string "name"');
  return { name, config: configObject(config), target: initialTarget(initial_state) };
}
