import type { FastifyInstance } from 'fastify';
import { SluiceError } from '../../errors.ts';
import type { ConnectorControl, ConnectorReads } from '../../herder/herder-api.ts';
import { FORWARDED_HEADER } from '../../worker/task-restart.ts';
import * as S from '../schemas.ts';
import { maskSecrets } from '../secrets.ts';
import { type Name, taskStatusBody } from '../views.ts';

/** A connector's tasks: their configs, states, and restarting one. */
export function registerTasksRoutes(app: FastifyInstance, api: ConnectorReads & ConnectorControl): void {
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
      return c.tasks.map((t) => ({
        id: { connector: c.name, task: t.id },
        config: maskSecrets(api, c.config, t.config),
      }));
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
      return taskStatusBody(t, c.version);
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
      const forwarded = req.headers[FORWARDED_HEADER] === 'true';
      await api.restartTask(req.params.name, Number(req.params.id), { forwarded });
      return reply.code(204).send();
    },
  );
}
