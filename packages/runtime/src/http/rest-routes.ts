import type { ConnectorConfig } from '@sluice/connect-api';
import type { FastifyInstance } from 'fastify';
import { SluiceError } from '../errors.ts';
import type { ConnectorInfo, WorkerApi } from '../worker/worker-api.ts';
import { configObject } from './config-param.ts';

type Name = { Params: { name: string } };
const MASK = '********';

/**
 * The resource-style API, the shape Kafka Connect users know: JSON bodies, proper verbs and
 * statuses, `{error_code, message}` errors (from the server's error handler).
 */
export function registerRestRoutes(app: FastifyInstance, api: WorkerApi): void {
  const secretKeys = (c: ConnectorInfo): Set<string> => {
    try {
      const cls = api
        .plugins()
        .find((p) => p.className === (c.config['connector.class'] ?? c.config['connector-class']));
      const spec = cls ? api.validate(cls.className, {}).spec : undefined;
      return new Set(spec?.fields.filter((f) => f.type === 'password').map((f) => f.name) ?? []);
    } catch {
      return new Set();
    }
  };
  // Config values marked secret are never returned in clear.
  const masked = (c: ConnectorInfo): ConnectorConfig => {
    const secret = secretKeys(c);
    return Object.fromEntries(Object.entries(c.config).map(([k, v]) => [k, secret.has(k) ? MASK : v]));
  };
  const info = (c: ConnectorInfo) => ({
    name: c.name,
    config: masked(c),
    tasks: c.tasks.map((t) => ({ connector: c.name, task: t.id })),
    type: c.type,
  });
  const status = (c: ConnectorInfo) => ({
    name: c.name,
    connector: {
      state: !c.enabled
        ? 'STOPPED'
        : c.trace
          ? 'FAILED'
          : c.tasks.some((t) => t.status.state === 'PAUSED')
            ? 'PAUSED'
            : 'RUNNING',
      worker_id: api.workerId,
      ...(c.trace ? { trace: c.trace } : {}),
    },
    tasks: c.tasks.map((t) => ({
      id: t.id,
      state: t.status.state,
      worker_id: t.workerId,
      ...(t.status.trace ? { trace: t.status.trace } : {}),
    })),
    type: c.type,
  });
  const body = (raw: unknown): { name: string; config: ConnectorConfig } => {
    if (!raw || typeof raw !== 'object')
      throw new SluiceError('BAD_REQUEST', 'the body must be {"name": …, "config": {…}}');
    const { name, config } = raw as { name?: unknown; config?: unknown };
    if (typeof name !== 'string') throw new SluiceError('BAD_REQUEST', 'the body needs a string "name"');
    return { name, config: configObject(config) };
  };

  app.get<{ Querystring: { expand?: string | string[] } }>('/connectors', async (req) => {
    const expand = new Set([req.query.expand ?? []].flat().flatMap((e) => e.split(',')));
    const all = api.listConnectors();
    if (expand.size === 0) return all.map((c) => c.name);
    return Object.fromEntries(
      all.map((c) => [
        c.name,
        {
          ...(expand.has('info') ? { info: info(c) } : {}),
          ...(expand.has('status') ? { status: status(c) } : {}),
        },
      ]),
    );
  });
  app.post('/connectors', async (req, reply) => {
    const { name, config } = body(req.body);
    return reply.code(201).send(info(await api.createConnector(name, config)));
  });
  app.get<Name>('/connectors/:name', async (req) => info(api.getConnector(req.params.name)));
  app.delete<Name>('/connectors/:name', async (req, reply) => {
    await api.removeConnector(req.params.name);
    return reply.code(204).send();
  });
  app.get<Name>('/connectors/:name/config', async (req) => masked(api.getConnector(req.params.name)));
  app.put<Name>('/connectors/:name/config', async (req, reply) => {
    const config = configObject(req.body);
    const state = api.connectorState(req.params.name);
    if (state === 'enabled' || state === 'disabled') {
      const old = api.getConnector(req.params.name).config;
      // PUT replaces the config: keys left out go back to their defaults.
      const removed = Object.fromEntries(
        Object.keys(old)
          .filter((k) => !(k in config))
          .map((k) => [k, '']),
      );
      return info(await api.updateConnector(req.params.name, { ...removed, ...config }));
    }
    return reply.code(201).send(info(await api.createConnector(req.params.name, config)));
  });
  app.patch<Name>('/connectors/:name/config', async (req) =>
    info(await api.updateConnector(req.params.name, configObject(req.body))),
  );
  app.get<Name>('/connectors/:name/status', async (req) => status(api.getConnector(req.params.name)));
  app.get<Name>('/connectors/:name/tasks', async (req) => {
    const c = api.getConnector(req.params.name);
    return c.tasks.map((t) => ({ id: { connector: c.name, task: t.id }, config: t.config }));
  });
  app.get<{ Params: { name: string; id: string } }>('/connectors/:name/tasks/:id/status', async (req) => {
    const c = api.getConnector(req.params.name);
    const t = c.tasks.find((x) => String(x.id) === req.params.id);
    if (!t)
      throw new SluiceError('NOT_FOUND', `connector ${c.name} has no task ${req.params.id.slice(0, 20)}`);
    return {
      id: t.id,
      state: t.status.state,
      worker_id: t.workerId,
      ...(t.status.trace ? { trace: t.status.trace } : {}),
    };
  });
  app.post<Name & { Querystring: { onlyFailed?: string; includeTasks?: string } }>(
    '/connectors/:name/restart',
    async (req, reply) => {
      await api.restartConnector(req.params.name, { onlyFailed: req.query.onlyFailed === 'true' });
      return reply.code(202).send(status(api.getConnector(req.params.name)));
    },
  );
  app.post<{ Params: { name: string; id: string } }>(
    '/connectors/:name/tasks/:id/restart',
    async (req, reply) => {
      const c = api.getConnector(req.params.name);
      if (!c.tasks.some((t) => String(t.id) === req.params.id))
        throw new SluiceError('NOT_FOUND', `connector ${c.name} has no task ${req.params.id.slice(0, 20)}`);
      // Tasks of one connector restart together (they share the connector's task configs).
      await api.restartConnector(req.params.name, {});
      return reply.code(204).send();
    },
  );
  app.put<Name>('/connectors/:name/pause', async (req, reply) => {
    await api.pauseConnector(req.params.name);
    return reply.code(202).send();
  });
  app.put<Name>('/connectors/:name/resume', async (req, reply) => {
    await api.resumeConnector(req.params.name);
    return reply.code(202).send();
  });
  app.put<Name>('/connectors/:name/stop', async (req, reply) => {
    await api.disableConnector(req.params.name);
    return reply.code(202).send();
  });
  app.get('/connector-plugins', async () =>
    api.plugins().map((p) => ({ class: p.className, type: p.type, version: p.version })),
  );
  app.put<{ Params: { plugin: string } }>('/connector-plugins/:plugin/config/validate', async (req) => {
    const config = configObject(req.body);
    const { spec, issues } = api.validate(req.params.plugin, config);
    return {
      name: req.params.plugin,
      error_count: issues.length,
      configs: spec.fields.map((f) => ({
        definition: {
          name: f.name,
          type: f.type,
          required: f.required ?? false,
          default_value: f.default ?? null,
          documentation: f.doc,
        },
        value: {
          name: f.name,
          value: config[f.name] ?? f.default ?? null,
          errors: issues.filter((i) => i.field === f.name).map((i) => i.message),
        },
      })),
      other_errors: issues.filter((i) => !spec.fields.some((f) => f.name === i.field)),
    };
  });
  app.get('/workers', async () => api.workers().map((w) => ({ worker_id: w.workerId })));
}
