import type { Command } from 'commander';
import { type Act, clientCommand } from '../client-command.ts';
import { call } from '../http-client.ts';
import { show, table } from '../output.ts';

interface KeyInfo {
  name: string;
  type: string;
  required: boolean;
  default_value: string | null;
  documentation: string;
}

/** `sluice plugins [list]` and `sluice plugins describe <class>`. */
export function addPluginCommands(program: Command, act: Act): void {
  const plugins = program.command('plugins').description('the installed connector plugins');
  // `sluice plugins` alone lists them, as it always did.
  clientCommand(plugins, 'list', 'the installed connector classes (the default)', { isDefault: true }).action(
    act(async (ctx) =>
      show(
        ctx,
        await call(ctx, 'GET', '/connector-plugins'),
        (rows: { class: string; type: string; version: string }[]) =>
          table(
            ['CLASS', 'TYPE', 'VERSION'],
            rows.map((r) => [r.class, r.type, r.version]),
          ),
      ),
    ),
  );
  clientCommand(plugins, 'describe <class>', 'every key a class’s configs may have').action(
    act(async (ctx, [cls]) =>
      show(
        ctx,
        await call(ctx, 'GET', `/connector-plugins/${encodeURIComponent(cls!)}/config`),
        (keys: KeyInfo[]) =>
          table(
            ['KEY', 'TYPE', 'REQUIRED', 'DEFAULT', 'DESCRIPTION'],
            keys.map((k) => [
              k.name,
              k.type,
              k.required ? 'yes' : '',
              k.default_value ?? '',
              k.documentation,
            ]),
          ),
      ),
    ),
  );
}
