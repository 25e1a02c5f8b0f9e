import type { FastifyInstance } from 'fastify';
import { MAX_TASKS } from '../../connector/validate-config.ts';
import { asSluiceError, SluiceError } from '../../errors.ts';
import type {
  ConnectorControl,
  ConnectorReads,
  ConnectorWrites,
  PluginsApi,
} from '../../herder/herder-api.ts';
import { parseConfigParam } from '../config-param.ts';
import { unmask } from '../secrets.ts';
import { type SeedParams, seedText, seedWrite } from './seed-shape.ts';

type Params = SeedParams;

/**
 * The seed's GET routes that change things, with its bodies (`success`, `failed:<reason>`), so
 * existing scripts keep working — but failures carry a real HTTP status.
 */
export function registerSeedWriteRoutes(
  app: FastifyInstance,
  api: ConnectorReads & ConnectorWrites & ConnectorControl & PluginsApi,
): void {
  const text = seedText;
  app.get<{ Params: Params; Querystring: { config?: string } }>(
    '/connectors/create/:connectorName',
    seedWrite('Create a connector from ?config=<JSON> (braces and quotes may come unencoded)', true),
    (req, reply) =>
      text(reply, async () => {
        await api.createConnector(req.params.connectorName!, parseConfigParam(req.query.config));
        return 'success';
      }),
  );
  app.get<{ Params: Params; Querystring: { config?: string } }>(
    '/connectors/update/:connectorName',
    seedWrite('Change some keys of a connector from ?config=<JSON>', true),
    (req, reply) =>
      text(reply, async () => {
        const name = req.params.connectorName!;
        const changes = parseConfigParam(req.query.config, 'changes');
        // /getConnectors shows secrets masked: sent back, the mask keeps the stored secret.
        const stored = api.connectorState(name) === 'unknown' ? {} : api.getConnector(name).config;
        await api.updateConnector(name, unmask(stored, changes));
        return 'success';
      }),
  );
  app.get<{ Params: Params }>(
    '/connectors/taskNum/:connectorName/:taskNum',
    seedWrite(`Set the task count (1–${MAX_TASKS}); answers oldTaskNum : a newTaskNum : b`),
    (req, reply) =>
      text(reply, async () => {
        const raw = req.params.taskNum!;
        if (!/^\d{1,4}$/.test(raw))
          throw new SluiceError(
            'BAD_REQUEST',
            `taskNum must be a whole number from 1 to ${MAX_TASKS} (got "${raw.slice(0, 50)}")`,
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
      seedWrite(`${action} one connector`),
      (req, reply) =>
        text(reply, async () => {
          await apply(req.params.connectorName!);
          return 'success';
        }),
    );
    app.get(`/connectors/all/${action}`, seedWrite(`${action} every connector`), (_req, reply) =>
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
  app.get('/plugin/reload', seedWrite('Load the plugin paths again'), (_req, reply) =>
    text(reply, async () => {
      const { failures } = await api.reloadPlugins();
      return failures.length === 0
        ? 'success'
        : `success (failed to load: ${failures.map((f) => `${f.path}: ${f.error}`).join('; ')})`;
    }),
  );
}
