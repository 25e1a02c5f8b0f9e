import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TopicsAdmin } from '../../herder/herder-api.ts';
import * as S from '../schemas.ts';
import type { Name } from '../views.ts';

/** Kafka Connect's active topics of a connector, and their reset. */
export function registerTopicsRoutes(app: FastifyInstance, api: TopicsAdmin): void {
  app.get<Name>(
    '/connectors/:name/topics',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Topics its tasks wrote (source) or read (sink) records of, since the last reset',
        params: S.NameParams,
        response: {
          200: Type.Record(Type.String(), Type.Object({ topics: Type.Array(Type.String()) })),
          ...S.errors(404),
        },
      },
    },
    async (req) => ({ [req.params.name]: { topics: api.connectorTopics(req.params.name) } }),
  );
  app.put<Name>(
    '/connectors/:name/topics/reset',
    {
      schema: {
        tags: ['connectors'],
        summary: 'Forget its active topics; those still in use come back with their next record',
        params: S.NameParams,
        response: S.errors(404),
      },
    },
    async (req, reply) => {
      await api.resetConnectorTopics(req.params.name);
      return reply.code(202).send();
    },
  );
}
