import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { PluginsApi } from '../../herder/herder-api.ts';
import { configObject } from '../config-param.ts';
import * as S from '../schemas.ts';
import { MASK } from '../secrets.ts';

/** Installed connector classes and config validation. */
export function registerPluginsRoutes(app: FastifyInstance, api: PluginsApi): void {
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
      const { spec, issues } = await api.validate(req.params.plugin, config);
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
}
