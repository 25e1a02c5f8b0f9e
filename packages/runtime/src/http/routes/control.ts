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
      await api.restartConnector(req.params.name, { includeTasks, onlyFailed });
      // Kafka Connect's answer: 204 for a plain restart, 202 and the status otherwise.
      if (!includeTasks && !onlyFailed) return reply.code(204).send();
      return reply.code(202).send(statusBody(api, api.getConnector(req.params.name)));
    },
  );
  // Target-state changes: 202 Accepted, as in Kafka Connect (they take effect asynchronously).
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
      (n: string) => api.disableConnector(n),
      [404, 409],
    ],
  ] as const;
  for (const [verb, summary, move, errors] of moves)
    app.put<Name>(
      `/connectors/:name/${verb}`,
      { schema: { tags: ['connectors'], summary, params: S.NameParams, response: S.errors(...errors) } },
      async (req, reply) => {
        await move(req.params.name);
        return reply.code(202).send();
      },
    );
}
