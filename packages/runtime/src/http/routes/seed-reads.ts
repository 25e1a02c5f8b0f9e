import type { ConnectorConfig } from '@sluice/connect-api';
import type { FastifyInstance } from 'fastify';
import type { ClusterView, ConnectorInfo, ConnectorReads } from '../../herder/herder-api.ts';
import type { TaskState } from '../../task/state.ts';
import { maskSecrets } from '../secrets.ts';
import { type SeedParams, seed } from './seed-shape.ts';

type Params = SeedParams;

/** The seed's GET routes that read, with its JSON shapes (secrets masked). */
export function registerSeedReadRoutes(app: FastifyInstance, api: ConnectorReads & ClusterView): void {
  const masked = (c: ConnectorInfo, config?: ConnectorConfig) => maskSecrets(api, c.config, config);
  const props = (c: ConnectorInfo) => ({ properties: { ...masked(c), connectorName: c.name } });
  app.get('/getConnectorTask', seed('Every connector config and task config'), async () => {
    const all = api.listConnectors();
    return {
      connectorConfigs: Object.fromEntries(all.map((c) => [c.name, props(c)])),
      taskConfigs: Object.fromEntries(
        all.map((c) => [c.name, c.tasks.map((t) => ({ properties: masked(c, t.config) }))]),
      ),
    };
  });
  app.get('/getConnectors', seed('Every connector config, by name'), async () =>
    Object.fromEntries(api.listConnectors().map((c) => [c.name, props(c)])),
  );
  app.get<{ Params: Params }>(
    '/getConnectors/:connectorName',
    seed('One connector config'),
    async (req, reply) => {
      if (
        api.connectorState(req.params.connectorName!) === 'unknown' ||
        api.connectorState(req.params.connectorName!) === 'removed'
      ) {
        return reply.code(404).send(null);
      }
      return props(api.getConnector(req.params.connectorName!));
    },
  );
  app.get<{ Params: Params }>(
    '/getConnectorTask/:connectorName',
    seed('One connector config and its task configs'),
    async (req, reply) => {
      const state = api.connectorState(req.params.connectorName!);
      if (state === 'unknown' || state === 'removed')
        return reply.code(404).type('text/plain').send('can`t find this connector');
      const c = api.getConnector(req.params.connectorName!);
      return { connector: props(c), tasks: c.tasks.map((t) => ({ properties: masked(c, t.config) })) };
    },
  );
  app.get<{ Params: Params }>(
    '/getConnectorsStatus/:connectorName',
    seed('enable, disable, remove or unknown status'),
    async (req, reply) => {
      const state = api.connectorState(req.params.connectorName!);
      const body = { enabled: 'enable', disabled: 'disable', removed: 'remove', unknown: 'unknown status' }[
        state
      ];
      return reply
        .code(state === 'unknown' ? 404 : 200)
        .type('text/plain')
        .send(body);
    },
  );
  app.get('/getClusterInfo', seed('Client ids of the live workers'), async () =>
    api.workers().map((w) => w.clientId),
  );
  app.get('/getAllocatedTask', seed('Tasks by state: pending, running, stopping, stopped, error'), async () =>
    allocatedTasks(api, masked),
  );
}

/** The seed's bucket of each task state (UNASSIGNED: pending). */
const SEED_BUCKET: Partial<Record<TaskState, string>> = {
  RUNNING: 'runningTasks',
  PAUSED: 'runningTasks',
  FAILED: 'errorTasks',
  STOPPING: 'stoppingTasks',
  STOPPED: 'stoppedTasks',
};

/** This worker's tasks in the seed's buckets (in standalone mode: all of them). */
function allocatedTasks(
  api: ConnectorReads & ClusterView,
  masked: (c: ConnectorInfo, config?: ConnectorConfig) => ConnectorConfig,
): Record<string, unknown[]> {
  const buckets: Record<string, unknown[]> = {
    pendingTasks: [],
    runningTasks: [],
    stoppingTasks: [],
    stoppedTasks: [],
    errorTasks: [],
  };
  for (const c of api.listConnectors()) {
    // The seed lists this worker's tasks (in standalone mode: all of them).
    for (const t of c.tasks.filter((x) => x.workerId === api.workerId)) {
      const state = t.status.state;
      const bucket = SEED_BUCKET[state] ?? 'pendingTasks';
      buckets[bucket]!.push({
        connectorName: c.name,
        taskConfig: masked(c, t.config),
        state,
        workerId: t.workerId,
        ...(t.status.trace ? { trace: t.status.trace } : {}),
      });
    }
  }
  return buckets;
}
