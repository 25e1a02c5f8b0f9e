import { bytes, compact, h } from './dom.js';
import { sum } from './prom.js';
import { sparkline } from './sparkline.js';

/** The workers table: leader, assigned tasks, heartbeat age, throughput and memory. */
export function workersTable(view) {
  return h(
    'table',
    { id: 'workers-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Worker', 'Leader', 'Tasks', 'Heartbeat', 'Records/s', '', 'RSS', 'Heap', 'Loop lag p99'].map((t) =>
          h('th', {}, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      view.workers.map((w) => {
        const m = view.metrics.get(w.worker_id);
        const samples = m?.samples ?? [];
        const key = `worker:${w.worker_id}`;
        const lag = sum(samples, 'nodejs_eventloop_lag_p99_seconds');
        return h(
          'tr',
          { 'data-worker': w.worker_id },
          h(
            'td',
            {},
            h('span', { class: 'mono' }, w.worker_id),
            w.url ? h('div', { class: 'dim' }, w.url) : null,
            m?.error ? h('div', { class: 'error' }, `metrics: ${m.error}`) : null,
          ),
          h('td', {}, w.leader ? h('span', { class: 'badge leader' }, 'leader') : ''),
          h('td', { class: 'num' }, w.tasks ?? '–'),
          h(
            'td',
            { class: 'num' },
            w.heartbeat_age_ms === undefined ? '–' : `${(w.heartbeat_age_ms / 1000).toFixed(1)} s`,
          ),
          h('td', { class: 'num' }, compact(view.rates.rate(key))),
          h('td', {}, sparkline(view.rates.history(key), `records per second on ${w.worker_id}`)),
          h('td', { class: 'num' }, bytes(sum(samples, 'process_resident_memory_bytes'))),
          h('td', { class: 'num' }, bytes(sum(samples, 'nodejs_heap_size_used_bytes'))),
          h('td', { class: 'num' }, lag === undefined ? '–' : `${(lag * 1000).toFixed(1)} ms`),
        );
      }),
    ),
  );
}
