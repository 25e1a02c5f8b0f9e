import type { ConnectorConfig } from '@sluice/connect-api';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { SluiceError } from '../errors.ts';
import { parseOffsetEntries } from '../worker/connector-offsets.ts';
import type { ConnectorInfo, WorkerApi } from '../worker/worker-api.ts';
import { configObject } from './config-param.ts';
import * as S from './schemas.ts';
import { MASK, secretMasker, unmask } from './secrets.ts';

type Name = { Params: { name: string } };

function flag(name: string, v: string | undefined): boolean {
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  throw new SluiceError('BAD_REQUEST', `${name} must be true or false`);
}

/**
 * The resource-style API, the shape Kafka Connect users know: JSON bodies, proper verbs and
 * statuses, `{error_code, message}` errors (from the server's error handler).
 */
export function registerRestRoutes(app: FastifyInstance, api: WorkerApi): void {
  const masked = secretMasker(api);
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

  app.get<{ Querystring: { expand?: string | string[] } }>(
    '/connectors',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Connector names, or with expand a map of name → status / info',
        querystring: S.ExpandQuery,
      },
    },
    async (req) => {
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
    },
  );
  app.post(
    '/connectors',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Create a connector',
        body: S.CreateBody,
        response: { 201: S.ConnectorInfoBody, ...S.errors(400, 409) },
      },
    },
    async (req, reply) => {
      const { name, config } = body(req.body);
      return reply.code(201).send(info(await api.createConnector(name, config)));
    },
  );
  app.get<Name>(
    '/connectors/:name',
    {
      schema: {
        tags: ['connectors'],
        summary: 'A connector: config (secrets masked), tasks, type',
        params: S.NameParams,
        response: { 200: S.ConnectorInfoBody, ...S.errors(404) },
      },
    },
    async (req) => info(api.getConnector(req.params.name)),
  );
  app.delete<Name>(
    '/connectors/:name',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Stop a connector and delete its config',
        params: S.NameParams,
        response: S.errors(404),
      },
    },
    async (req, reply) => {
      await api.removeConnector(req.params.name);
      return reply.code(204).send();
    },
  );
  app.get<Name>(
    '/connectors/:name/config',
    {
      schema: {
        tags: ['connectors'],
        summary: 'The config (secrets masked)',
        params: S.NameParams,
        response: { 200: S.ConnectorConfig, ...S.errors(404) },
      },
    },
    async (req) => masked(api.getConnector(req.params.name)),
  );
  app.put<Name>(
    '/connectors/:name/config',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Create, or replace the whole config (201 created, 200 replaced)',
        params: S.NameParams,
        body: S.ConnectorConfig,
        response: { 200: S.ConnectorInfoBody, 201: S.ConnectorInfoBody, ...S.errors(400, 409) },
      },
    },
    async (req, reply) => {
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
        return info(await api.updateConnector(req.params.name, { ...removed, ...unmask(old, config) }));
      }
      return reply.code(201).send(info(await api.createConnector(req.params.name, config)));
    },
  );
  app.patch<Name>(
    '/connectors/:name/config',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Change some keys (an empty value resets a key to its default; the mask keeps a secret)',
        params: S.NameParams,
        body: S.ConnectorConfig,
        response: { 200: S.ConnectorInfoBody, ...S.errors(400, 404) },
      },
    },
    async (req) => {
      const changes = configObject(req.body);
      const stored = api.getConnector(req.params.name).config;
      return info(await api.updateConnector(req.params.name, unmask(stored, changes)));
    },
  );
  app.get<Name>(
    '/connectors/:name/status',
    {
      schema: {
        tags: ['connectors'],
        summary: 'State of the connector and every task, with worker and error trace',
        params: S.NameParams,
        response: { 200: S.ConnectorStatusBody, ...S.errors(404) },
      },
    },
    async (req) => status(api.getConnector(req.params.name)),
  );
  app.get<Name>(
    '/connectors/:name/tasks',
    {
      schema: {
        tags: ['connectors'],
        summary: 'The task configs',
        params: S.NameParams,
        response: { 200: S.TaskConfigsBody, ...S.errors(404) },
      },
    },
    async (req) => {
      const c = api.getConnector(req.params.name);
      return c.tasks.map((t) => ({ id: { connector: c.name, task: t.id }, config: masked(c, t.config) }));
    },
  );
  app.get<{ Params: { name: string; id: string } }>(
    '/connectors/:name/tasks/:id/status',
    {
      schema: {
        tags: ['connectors'],
        summary: 'State of one task',
        params: S.TaskParams,
        response: { 200: S.TaskStatusBody, ...S.errors(404) },
      },
    },
    async (req) => {
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
    },
  );
  app.post<Name & { Querystring: { onlyFailed?: string; includeTasks?: string } }>(
    '/connectors/:name/restart',
    {
      schema: {
        tags: ['connectors'],
        summary:
          'Restart the connector (204); with includeTasks / onlyFailed also its (failed) tasks (202 and the status)',
        params: S.NameParams,
        querystring: S.RestartQuery,
        response: { 202: S.ConnectorStatusBody, ...S.errors(400, 404, 409) },
      },
    },
    async (req, reply) => {
      const includeTasks = flag('includeTasks', req.query.includeTasks);
      const onlyFailed = flag('onlyFailed', req.query.onlyFailed);
      await api.restartConnector(req.params.name, { includeTasks, onlyFailed });
      // Kafka Connect's answer: 204 for a plain restart, 202 and the status otherwise.
      if (!includeTasks && !onlyFailed) return reply.code(204).send();
      return reply.code(202).send(status(api.getConnector(req.params.name)));
    },
  );
  app.post<{ Params: { name: string; id: string } }>(
    '/connectors/:name/tasks/:id/restart',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Restart one task',
        params: S.TaskParams,
        response: S.errors(404, 409),
      },
    },
    async (req, reply) => {
      if (!/^\d{1,4}$/.test(req.params.id))
        throw new SluiceError(
          'NOT_FOUND',
          `connector ${req.params.name} has no task ${req.params.id.slice(0, 20)}`,
        );
      await api.restartTask(req.params.name, Number(req.params.id));
      return reply.code(204).send();
    },
  );
  app.put<Name>(
    '/connectors/:name/pause',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Pause the tasks (records stop; offsets still commit)',
        params: S.NameParams,
        response: S.errors(404),
      },
    },
    async (req, reply) => {
      await api.pauseConnector(req.params.name);
      return reply.code(202).send();
    },
  );
  app.put<Name>(
    '/connectors/:name/resume',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Resume a paused connector, or start a stopped one',
        params: S.NameParams,
        response: S.errors(404),
      },
    },
    async (req, reply) => {
      await api.resumeConnector(req.params.name);
      return reply.code(202).send();
    },
  );
  app.put<Name>(
    '/connectors/:name/stop',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Stop the connector and its tasks; the config stays',
        params: S.NameParams,
        response: S.errors(404, 409),
      },
    },
    async (req, reply) => {
      await api.disableConnector(req.params.name);
      return reply.code(202).send();
    },
  );
  app.get<Name>(
    '/connectors/:name/offsets',
    {
      schema: {
        tags: ['offsets'],
        summary: 'Where the connector resumes',
        params: S.NameParams,
        response: { 200: S.OffsetsBody, ...S.errors(404, 409) },
      },
    },
    async (req) => ({
      offsets: await api.connectorOffsets(req.params.name),
    }),
  );
  app.patch<Name>(
    '/connectors/:name/offsets',
    {
      schema: {
        tags: ['offsets'],
        summary: 'Change offsets (stopped connectors only)',
        params: S.NameParams,
        body: S.OffsetsBody,
        response: { 200: S.MessageBody, ...S.errors(400, 404, 409) },
      },
    },
    async (req) => {
      await api.alterConnectorOffsets(req.params.name, parseOffsetEntries(req.body));
      return { message: `the offsets of connector ${req.params.name} have been altered` };
    },
  );
  app.delete<Name>(
    '/connectors/:name/offsets',
    {
      schema: {
        tags: ['offsets'],
        summary: 'Reset every offset (stopped connectors only)',
        params: S.NameParams,
        response: { 200: S.MessageBody, ...S.errors(404, 409) },
      },
    },
    async (req) => {
      await api.resetConnectorOffsets(req.params.name);
      return { message: `the offsets of connector ${req.params.name} have been reset` };
    },
  );
  app.get(
    '/connector-plugins',
    {
      schema: { tags: ['plugins'], summary: 'Installed connector classes', response: { 200: S.PluginsBody } },
    },
    async () => api.plugins().map((p) => ({ class: p.className, type: p.type, version: p.version })),
  );
  app.put<{ Params: { plugin: string } }>(
    '/connector-plugins/:plugin/config/validate',
    {
      schema: {
        tags: ['plugins'],
        summary: 'Check a config against the plugin’s spec, field by field',
        params: Type.Object({ plugin: Type.String() }),
        body: S.ConnectorConfig,
        response: { 200: S.ValidateBody, ...S.errors(400) },
      },
    },
    async (req) => {
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
            value:
              f.type === 'password' && config[f.name] !== undefined
                ? MASK
                : (config[f.name] ?? f.default ?? null),
            errors: issues.filter((i) => i.field === f.name).map((i) => i.message),
          },
        })),
        other_errors: issues.filter((i) => !spec.fields.some((f) => f.name === i.field)),
      };
    },
  );
  app.get(
    '/workers',
    { schema: { tags: ['workers'], summary: 'Live workers', response: { 200: S.WorkersBody } } },
    async () => api.workers().map((w) => ({ worker_id: w.workerId })),
  );
}
