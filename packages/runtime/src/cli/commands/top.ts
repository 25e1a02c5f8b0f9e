import type { Command } from 'commander';
import type { Sample } from '../../../ui/prom.js';
import { movedSeries, sum, samples as toSamples } from '../../../ui/prom.js';
import { Rates } from '../../../ui/rates.js';
import { type Act, clientCommand } from '../client-command.ts';
import { type ClientContext, call, must } from '../http-client.ts';
import { table } from '../output.ts';
import { watch, watchOptions } from '../watch.ts';
import type { StatusBody } from './connectors.ts';

interface WorkerRow {
  worker_id: string;
  leader?: boolean;
  tasks?: number;
  heartbeat_age_ms?: number;
}

/** `sluice top`: the cluster's workers and connectors, refreshed, with rates and lag. */
export function addTopCommand(program: Command, act: Act): void {
  clientCommand(program, 'top', 'workers and connectors live: states, records/s, lag, memory')
    .option('--interval <seconds>', 'seconds between refreshes (default 2)')
    .option('-n, --iterations <n>', 'stop after n refreshes (default: until Ctrl-C)')
    .action(
      act(async (ctx, _args, opts) => {
        const watching = watchOptions(opts);
        const rates = new Rates();
        return watch(() => frame(ctx, rates), ctx.out, watching);
      }),
    );
}

/** One refresh: every worker's metrics through the one asked, rates from the last refresh. */
async function frame(ctx: ClientContext, rates: Rates): Promise<string> {
  const [workers, connectors] = await Promise.all([
    must(ctx, 'GET', '/workers') as Promise<WorkerRow[]>,
    must(ctx, 'GET', '/connectors?expand=status') as Promise<Record<string, { status: StatusBody }>>,
  ]);
  const metrics = new Map<string, Sample[] | string>();
  await Promise.all(
    workers.map(async (w) => {
      const r = await call(ctx, 'GET', `/workers/${encodeURIComponent(w.worker_id)}/metrics?format=json`);
      metrics.set(w.worker_id, r.ok ? toSamples(r.body as never) : r.message);
    }),
  );
  const all = [...metrics.values()].flatMap((m) => (typeof m === 'string' ? [] : m));
  const at = Date.now();
  const read = [...metrics].flatMap(([id, m]) =>
    typeof m === 'string' ? [] : [[id, m] as [string, Sample[]]],
  );
  rates.read(movedSeries(read), at);
  const num = (n: number | undefined, digits = 0) => (n === undefined ? '-' : n.toFixed(digits));
  const mib = (n: number | undefined) => (n === undefined ? '-' : `${Math.round(n / 1048576)}Mi`);
  const workerRows = workers.map((w) => {
    const m = metrics.get(w.worker_id);
    const s = typeof m === 'string' ? [] : (m ?? []);
    const lag = sum(s, 'nodejs_eventloop_lag_p99_seconds');
    return [
      w.worker_id + (typeof m === 'string' ? ` (metrics: ${m})` : ''),
      w.leader ? 'leader' : '',
      num(w.tasks),
      w.heartbeat_age_ms === undefined ? '-' : `${(w.heartbeat_age_ms / 1000).toFixed(1)}s`,
      num(rates.rate(`worker:${w.worker_id}`)),
      mib(sum(s, 'process_resident_memory_bytes')),
      mib(sum(s, 'nodejs_heap_size_used_bytes')),
      lag === undefined ? '-' : `${(lag * 1000).toFixed(1)}ms`,
    ];
  });
  const connectorRows = Object.entries(connectors)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, { status }]) => {
      const where = { connector: name };
      const lag =
        (sum(all, 'sluice_source_lag_records', where) ?? 0) +
        (sum(all, 'sluice_sink_lag_records', where) ?? 0);
      const failed = status.tasks.find((t) => t.trace)?.trace ?? status.connector.trace ?? '';
      return [
        name,
        status.type,
        status.connector.state,
        `${status.tasks.filter((t) => t.state === 'RUNNING').length}/${status.tasks.length}`,
        num(rates.rate(`connector:${name}`)),
        String(lag),
        num(sum(all, 'sluice_task_record_errors_total', where) ?? 0),
        failed.split('\n')[0]!.slice(0, 80),
      ];
    });
  return `sluice top · ${new Date(at).toISOString().slice(11, 19)} · ${workers.length} worker(s) · ${connectorRows.length} connector(s)\n\n${table(
    ['WORKER', 'LEADER', 'TASKS', 'HEARTBEAT', 'REC/S', 'RSS', 'HEAP', 'LOOP P99'],
    workerRows,
  )}\n${table(['CONNECTOR', 'TYPE', 'STATE', 'TASKS', 'REC/S', 'LAG', 'ERRORS', 'LAST ERROR'], connectorRows)}`;
}
