import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { SluiceError } from '../../errors.ts';
import type { LogAdmin } from '../../logging/logger.ts';
import * as S from '../schemas.ts';

const Level = Type.Object({ level: Type.String(), last_modified: Type.Union([Type.Integer(), Type.Null()]) });

/** Kafka Connect's /admin/loggers: read and change log levels while the worker runs. */
export function registerLoggerRoutes(app: FastifyInstance, logs: LogAdmin | undefined): void {
  const admin = () => {
    if (!logs) throw new SluiceError('NOT_FOUND', 'this worker has no log level control');
    return logs;
  };
  app.get(
    '/admin/loggers',
    {
      schema: {
        tags: ['workers'],
        summary: 'Log levels by logger (Sluice has one: root)',
        response: { 200: Type.Record(Type.String(), Level), ...S.errors(404) },
      },
    },
    async () => admin().loggers(),
  );
  app.get<{ Params: { logger: string } }>(
    '/admin/loggers/:logger',
    {
      schema: {
        tags: ['workers'],
        summary: 'One logger’s level',
        params: Type.Object({ logger: Type.String() }),
        response: { 200: Level, ...S.errors(404) },
      },
    },
    async (req) => {
      const found = admin().loggers()[req.params.logger];
      if (!found) throw new SluiceError('NOT_FOUND', `no logger ${req.params.logger.slice(0, 200)}`);
      return found;
    },
  );
  app.put<{ Params: { logger: string }; Body: { level?: unknown }; Querystring: { scope?: string } }>(
    '/admin/loggers/:logger',
    {
      schema: {
        tags: ['workers'],
        summary: 'Set a logger’s level (OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE) on this worker',
        params: Type.Object({ logger: Type.String() }),
        querystring: Type.Object({ scope: Type.Optional(Type.String()) }),
        body: Type.Object({ level: Type.String() }),
        response: { 200: Type.Array(Type.String()), ...S.errors(400, 404) },
      },
    },
    async (req) => {
      if (req.query.scope !== undefined && req.query.scope.toLowerCase() !== 'worker')
        throw new SluiceError(
          'BAD_REQUEST',
          'scope must be worker: Sluice sets log levels per worker (ask each worker)',
        );
      return admin().setLevel(req.params.logger, String(req.body.level));
    },
  );
}
