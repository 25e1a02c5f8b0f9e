import type { Command } from 'commander';
import { actionOf, type ClientIO } from './client-command.ts';
import { addApplyCommands } from './commands/apply.ts';
import { addClusterCommands } from './commands/cluster.ts';
import { addCompletionCommand } from './commands/completion.ts';
import { addConnectorCommands } from './commands/connectors.ts';
import { addOffsetsCommand } from './commands/offsets.ts';
import { addPluginCommands } from './commands/plugins.ts';
import { addTopCommand } from './commands/top.ts';

export { UsageError } from './usage-error.ts';
export type { ClientIO };

export const CLIENT_HELP_AFTER = `
The client commands talk to any worker's HTTP API: --url (or SLUICE_URL, or url= in
~/.config/sluice/config), --token (SLUICE_TOKEN, token=), --output table|json|yaml (output=).
Exit codes: 0 done, 1 the worker refused or failed (its message on stderr), 2 bad usage or no
worker reachable.`;

/** Registers every client command on the program. */
export function addClientCommands(program: Command, io: ClientIO): void {
  const act = (fn: Parameters<typeof actionOf>[1]) => actionOf(io, fn);
  addApplyCommands(program, act);
  addPluginCommands(program, act);
  addClusterCommands(program, act);
  addTopCommand(program, act);
  const connectors = program.command('connectors').description('list, create, change and watch connectors');
  addConnectorCommands(connectors, act);
  addOffsetsCommand(connectors, act);
  addCompletionCommand(program, io.out);
}
