import { request } from './api.js';
import { compact, h } from './dom.js';
import { sparkline } from './sparkline.js';

const ACTIONS = [
  ['pause', 'PUT', (n) => `/connectors/${n}/pause`],
  ['resume', 'PUT', (n) => `/connectors/${n}/resume`],
  ['stop', 'PUT', (n) => `/connectors/${n}/stop`],
  ['restart', 'POST', (n) => `/connectors/${n}/restart?includeTasks=true`],
  ['delete', 'DELETE', (n) => `/connectors/${n}`],
];

/**
 * The connectors table: one row per connector (state, where it runs, rate, lag, actions) and,
 * once opened, one row per task with its own rate, lag and last error trace.
 */
export function connectorsTable(view, ui) {
  const names = Object.keys(view.connectors).sort();
  if (names.length === 0) return h('p', { class: 'dim' }, 'No connectors yet: create one below.');
  return h(
    'table',
    { id: 'connectors-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['', 'Connector', 'Type', 'State', 'Worker', 'Tasks', 'Records/s', '', 'Lag', 'Actions'].map((t) =>
          h('th', {}, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      names.flatMap((name) => connectorRows(name, view, ui)),
    ),
  );
}

function connectorRows(name, view, ui) {
  const { status } = view.connectors[name];
  const tasks = status.tasks ?? [];
  const open = ui.open.has(name);
  const running = tasks.filter((t) => t.state === 'RUNNING').length;
  const key = `connector:${name}`;
  const rows = [
    h(
      'tr',
      { class: 'connector', 'data-connector': name },
      h(
        'td',
        {},
        h(
          'button',
          { class: 'link', 'aria-expanded': String(open), title: 'tasks', onclick: () => ui.toggle(name) },
          open ? '▾' : '▸',
        ),
      ),
      h('td', { class: 'mono' }, name),
      h('td', {}, status.type ?? ''),
      h('td', {}, state(status.connector.state)),
      h('td', { class: 'mono dim' }, status.connector.worker_id),
      h('td', { class: 'num' }, `${running}/${tasks.length}`),
      h('td', { class: 'num rate' }, compact(view.rates.rate(key))),
      h('td', {}, sparkline(view.rates.history(key), `records per second of ${name}`)),
      h('td', { class: 'num lag' }, compact(view.lagOf(name))),
      h(
        'td',
        { class: 'actions' },
        ACTIONS.map(([label, method, path]) => actionButton(name, label, method, path, ui)),
      ),
    ),
  ];
  if (!open) return rows;
  if (status.connector.trace) rows.push(traceRow(`${name}`, 'connector', status.connector.trace, ui));
  for (const t of tasks) {
    const tkey = `task:${name}/${t.id}`;
    rows.push(
      h(
        'tr',
        { class: 'task', 'data-task': `${name}/${t.id}` },
        h('td', {}),
        h('td', { class: 'mono' }, `task ${t.id}`),
        h('td', {}),
        h('td', {}, state(t.state)),
        h('td', { class: 'mono dim' }, t.worker_id),
        h('td', {}),
        h('td', { class: 'num' }, compact(view.rates.rate(tkey))),
        h('td', {}, sparkline(view.rates.history(tkey), `records per second of ${name} task ${t.id}`)),
        h('td', { class: 'num' }, compact(view.lagOf(name, t.id))),
        h(
          'td',
          { class: 'actions' },
          h(
            'button',
            {
              onclick: () =>
                ui.act(`restart task ${t.id} of ${name}`, () =>
                  request('POST', `/connectors/${encodeURIComponent(name)}/tasks/${t.id}/restart`),
                ),
            },
            'restart',
          ),
        ),
      ),
    );
    if (t.trace) rows.push(traceRow(`${name}/${t.id}`, `task ${t.id}`, t.trace, ui));
  }
  return rows;
}

function actionButton(name, label, method, path, ui) {
  const go = () => {
    if (label === 'delete' && !confirm(`Delete connector ${name}? Its config goes; its offsets stay.`))
      return;
    ui.act(`${label} ${name}`, () => request(method, path(encodeURIComponent(name))));
  };
  return h(
    'button',
    { 'data-action': label, class: label === 'delete' ? 'danger' : undefined, onclick: go },
    label,
  );
}

/** A folded trace; which ones are open is kept across refreshes, so one can be read and copied. */
function traceRow(key, what, trace, ui) {
  const toggled = (e) => {
    if (e.target.open) ui.traces.add(key);
    else ui.traces.delete(key);
  };
  return h(
    'tr',
    { class: 'trace' },
    h('td', {}),
    h(
      'td',
      { colspan: 9 },
      h(
        'details',
        { open: ui.traces.has(key), ontoggle: toggled },
        h('summary', { class: 'error' }, `${what}: ${trace.split('\n')[0]}`),
        h('pre', {}, trace),
      ),
    ),
  );
}

function state(s) {
  return h('span', { class: `badge ${String(s).toLowerCase()}` }, s);
}
