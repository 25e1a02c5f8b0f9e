import type { FastifyInstance } from 'fastify';
import type { ConnectorControl, ConnectorReads } from '../../herder/herder-api.ts';
import * as S from '../schemas.ts';
import { flag, type Name, statusBody } from '../views.ts';

/** Target states and restarts of a connector: pause, resume, stop, restart. */
export function registerControlRoutes(app: FastifyInstance, api: ConnectorReads & ConnectorControl): void {
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
      const plan = await api.restartConnector(req.params.name, { includeTasks, onlyFailed });
      // Kafka Connect's answer: 204 for a plain restart, 202 and the status otherwise, where what
      // is being restarted shows RESTARTING.
      if (!includeTasks && !onlyFailed) return reply.code(204).send();
      const body = statusBody(api, api.getConnector(req.params.name));
      return reply.code(202).send({
        ...body,
        connector: plan.instance ? { ...body.connector, state: 'RESTARTING' } : body.connector,
        tasks: body.tasks.map((t) => (plan.tasks.includes(t.id) ? { ...t, state: 'RESTARTING' } : t)),
      });
    },
  );
  // Target-state changes, with Kafka Connect's answers: pause and resume 202 Accepted (they take
  // effect asynchronously), stop 204 (also when it is stopped already).
  const moves = [
    [
      'pause',
      'Pause the tasks (records stop; offsets still commit)',
      (n: string) => api.pauseConnector(n),
      [404],
    ],
    [
      'resume',
      'Resume a paused connector, or start a stopped one',
      (n: string) => api.resumeConnector(n),
      [404],
    ],
    [
      'stop',
      'Stop the connector and its tasks; the config stays',
      (n: string) => api.stopConnector(n),
      [404],
    ],
  ] as const;
  for (const [verb, summary, move, errors] of moves)
    app.put<Name>(
      `/connectors/:name/${verb}`,
      { schema: { tags: ['connectors'], summary, params: S.NameParams, response: S.errors(...errors) } },
      async (req, reply) => {
        await move(req.params.name);
        return reply.code(verb === 'stop' ? 204 : 202).send();
      },
    );
}
