import type { FastifyInstance, FastifyReply } from 'fastify';
import { HTTP_STATUS, SluiceError } from '../errors.ts';
import type { ConnectorInfo, WorkerApi } from '../worker/worker-api.ts';
import { parseConfigParam } from './config-param.ts';
import { secretMasker } from './secrets.ts';

type Params = { connectorName?: string; taskNum?: string };

const seed = (summary: string, config = false) => ({
  schema: {
    tags: ['seed'],
    summary,
    ...(config
      ? {
          querystring: {
            type: 'object',
            properties: { config: { type: 'string', description: 'The connector config as JSON' } },
          },
        }
      : {}),
  },
});

/**
 * The seed's sixteen GET routes with its bodies (`success`, `failed:<reason>`, its JSON shapes),
 * so existing scripts keep working — but failures carry a real HTTP status.
 */
export function registerSeedRoutes(app: FastifyInstance, api: WorkerApi): void {
  const text = async (reply: FastifyReply, run: () => Promise<string>) => {
    try {
      return reply.type('text/plain; charset=utf-8').send(await run());
    } catch (err) {
      const e = asSluiceError(err);
      return reply.code(HTTP_STATUS[e.code]).type('text/plain; charset=utf-8').send(`failed:${e.message}`);
    }
  };
  const masked = secretMasker(api);
  const props = (c: ConnectorInfo) => ({ properties: { ...masked(c), connectorName: c.name } });

  app.get<{ Params: Params; Querystring: { config?: string } }>(
    '/connectors/create/:connectorName',
    seed('Create a connector from ?config=<JSON> (braces and quotes may come unencoded)', true),
    (req, reply) =>
      text(reply, async () => {
        await api.createConnector(req.params.connectorName!, parseConfigParam(req.query.config));
        return 'success';
      }),
  );
  app.get<{ Params: Params; Querystring: { config?: string } }>(
    '/connectors/update/:connectorName',
    seed('Change some keys of a connector from ?config=<JSON>', true),
    (req, reply) =>
      text(reply, async () => {
        await api.updateConnector(req.params.connectorName!, parseConfigParam(req.query.config));
        return 'success';
      }),
  );
  app.get<{ Params: Params }>(
    '/connectors/taskNum/:connectorName/:taskNum',
    seed('Set the task count (1–1024); answers oldTaskNum : a newTaskNum : b'),
    (req, reply) =>
      text(reply, async () => {
        const raw = req.params.taskNum!;
        if (!/^\d{1,4}$/.test(raw))
          throw new SluiceError(
            'BAD_REQUEST',
            `taskNum must be a whole number from 1 to 1024 (got "${raw.slice(0, 50)}")`,
          );
        const { before, after } = await api.setTaskCount(req.params.connectorName!, Number(raw));
        return `oldTaskNum : ${before} newTaskNum : ${after}`;
      }),
  );
  for (const action of ['enable', 'disable', 'remove'] as const) {
    const apply = (name: string) =>
      action === 'enable'
        ? api.enableConnector(name)
        : action === 'disable'
          ? api.disableConnector(name)
          : api.removeConnector(name);
    app.get<{ Params: Params }>(
      `/connectors/single/:connectorName/${action}`,
      seed(`${action} one connector`),
      (req, reply) =>
        text(reply, async () => {
          await apply(req.params.connectorName!);
          return 'success';
        }),
    );
    app.get(`/connectors/all/${action}`, seed(`${action} every connector`), (_req, reply) =>
      text(reply, async () => {
        const want = action === 'enable' ? false : action === 'disable' ? true : undefined;
        const failures: string[] = [];
        for (const c of api.listConnectors()) {
          if (want !== undefined && c.enabled !== want) continue;
          await apply(c.name).catch((err: unknown) =>
            failures.push(`${c.name}: ${asSluiceError(err).message}`),
          );
        }
        if (failures.length > 0) throw new SluiceError('CONFLICT', failures.join('; '));
        return 'success';
      }),
    );
  }
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
  app.get(
    '/getAllocatedTask',
    seed('Tasks by state: pending, running, stopping, stopped, error'),
    async () => {
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
          const bucket =
            state === 'RUNNING' || state === 'PAUSED'
              ? 'runningTasks'
              : state === 'FAILED'
                ? 'errorTasks'
                : state === 'STOPPED'
                  ? 'stoppedTasks'
                  : 'pendingTasks';
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
    },
  );
  app.get('/plugin/reload', seed('Load the plugin paths again'), (_req, reply) =>
    text(reply, async () => {
      const { failures } = await api.reloadPlugins();
      return failures.length === 0
        ? 'success'
        : `success (failed to load: ${failures.map((f) => `${f.path}: ${f.error}`).join('; ')})`;
    }),
  );
}

export function asSluiceError(err: unknown): SluiceError {
  if (err instanceof SluiceError) return err;
  return new SluiceError('INTERNAL', err instanceof Error ? err.message : String(err), { cause: err });
}
