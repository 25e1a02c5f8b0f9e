import { ApiError, get, setToken, whenUnauthorized } from './api.js';
import { connectorsTable } from './connectors.js';
import { createForm } from './create.js';
import { fill, h } from './dom.js';
import { movedSeries, samples, sum } from './prom.js';
import { Rates } from './rates.js';
import { workersTable } from './workers.js';

const EVERY_MS = 2000;
const $ = (id) => document.getElementById(id);
const rates = new Rates();
const open = new Set();
let timer;

const ui = {
  open,
  traces: new Set(),
  toggle(name) {
    if (open.has(name)) open.delete(name);
    else open.add(name);
    refresh();
  },
  async act(what, call) {
    try {
      await call();
      notice(`${what}: done`);
    } catch (err) {
      notice(`${what}: ${err.message}`, true);
    }
    refresh();
  },
};

function notice(text, error = false) {
  fill($('notice'), h('span', { class: error ? 'error' : 'ok' }, text));
}

/** One scrape: workers, every worker's metrics (through this worker), connectors with status. */
async function load() {
  const [root, workers, connectors] = await Promise.all([
    get('/'),
    get('/workers'),
    get('/connectors?expand=status'),
  ]);
  const metrics = new Map();
  await Promise.all(
    workers.map(async (w) => {
      try {
        metrics.set(w.worker_id, {
          samples: samples(await get(`/workers/${encodeURIComponent(w.worker_id)}/metrics?format=json`)),
        });
      } catch (err) {
        metrics.set(w.worker_id, { samples: [], error: err.message });
      }
    }),
  );
  const all = [...metrics.values()].flatMap((m) => m.samples);
  rates.read(movedSeries([...metrics].map(([id, m]) => [id, m.samples])), Date.now());
  const lagOf = (connector, task) => {
    const where = task === undefined ? { connector } : { connector, task: String(task) };
    const a = sum(all, 'sluice_source_lag_records', where);
    const b = sum(all, 'sluice_sink_lag_records', where);
    return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
  };
  return { root, workers, connectors, metrics, rates, lagOf };
}

async function refresh() {
  clearTimeout(timer);
  try {
    const view = await load();
    fill(
      $('where'),
      `cluster ${view.root.kafka_cluster_id} · worker ${view.root.worker_id} · v${view.root.version}`,
    );
    fill($('workers'), workersTable(view));
    fill($('connectors'), connectorsTable(view, ui));
    fill($('status'), h('span', { class: 'dim' }, `updated ${new Date().toLocaleTimeString()}`));
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401))
      fill($('status'), h('span', { class: 'error' }, `cannot reach the worker: ${err.message}`));
  }
  timer = setTimeout(refresh, EVERY_MS);
}

function tokenForm() {
  const input = h('input', { id: 'token', type: 'password', placeholder: 'API token', autocomplete: 'off' });
  const form = h(
    'form',
    {
      id: 'token-form',
      class: 'hidden',
      onsubmit: (e) => {
        e.preventDefault();
        setToken(input.value);
        form.classList.add('hidden');
        refresh();
      },
    },
    h('label', {}, 'This worker needs its API token: ', input),
    h('button', { class: 'primary' }, 'Use'),
  );
  whenUnauthorized(() => {
    form.classList.remove('hidden');
    input.focus();
  });
  return form;
}

$('auth').replaceWith(tokenForm());
$('create-slot').replaceWith(createForm(() => refresh()));
refresh();
