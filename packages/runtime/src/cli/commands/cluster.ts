import type { Command } from 'commander';
import { type Act, clientCommand } from '../client-command.ts';
import { call } from '../http-client.ts';
import { show, table } from '../output.ts';

interface WorkerBody {
  worker_id: string;
  url?: string;
  leader?: boolean;
  tasks?: number;
  heartbeat_age_ms?: number;
}

/** `sluice info`, `sluice workers` and `sluice logs level [LEVEL]`. */
export function addClusterCommands(program: Command, act: Act): void {
  clientCommand(program, 'info', "the worker's version and cluster").action(
    act(async (ctx) =>
      show(
        ctx,
        await call(ctx, 'GET', '/'),
        (b: { version: string; kafka_cluster_id: string; worker_id: string }) =>
          table(['WORKER', 'VERSION', 'CLUSTER'], [[b.worker_id, b.version, b.kafka_cluster_id]]),
      ),
    ),
  );
  clientCommand(program, 'workers', 'list the live workers of the cluster').action(
    act(async (ctx) =>
      show(ctx, await call(ctx, 'GET', '/workers'), (rows: WorkerBody[]) => {
        // A standalone worker has no cluster: its one row is just its id.
        if (!rows.some((r) => r.leader !== undefined))
          return table(
            ['WORKER'],
            rows.map((r) => [r.worker_id]),
          );
        return table(
          ['WORKER', 'LEADER', 'TASKS', 'HEARTBEAT', 'URL'],
          rows.map((r) => [
            r.worker_id,
            r.leader ? 'leader' : '',
            String(r.tasks ?? '-'),
            r.heartbeat_age_ms === undefined ? '-' : `${(r.heartbeat_age_ms / 1000).toFixed(1)}s`,
            r.url ?? '',
          ]),
        );
      }),
    ),
  );
  const logs = program.command('logs').description("the worker's log");
  clientCommand(
    logs,
    'level [level]',
    'show the log level, or set it (OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE)',
  ).action(
    act(async (ctx, [level]) => {
      if (level === undefined)
        return show(ctx, await call(ctx, 'GET', '/admin/loggers'), (all: Record<string, { level: string }>) =>
          table(
            ['LOGGER', 'LEVEL'],
            Object.entries(all).map(([name, l]) => [name, l.level]),
          ),
        );
      return show(
        ctx,
        await call(ctx, 'PUT', '/admin/loggers/root', { level: level.toUpperCase() }),
        () => `log level ${level.toUpperCase()}\n`,
      );
    }),
  );
}
