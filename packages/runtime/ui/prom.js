// Reads a worker's metrics as /metrics?format=json serves them (prom-client's JSON form).

/** [{name, values: [{value, labels, metricName?}]}] → [{name, labels, value}], buckets left out. */
export function samples(metrics) {
  const out = [];
  for (const m of metrics) {
    for (const v of m.values) {
      const name = v.metricName ?? m.name;
      if (!name.endsWith('_bucket')) out.push({ name, labels: v.labels ?? {}, value: v.value });
    }
  }
  return out;
}

/** The sum of `name`'s samples whose labels match `where`; undefined when there are none. */
export function sum(list, name, where = {}) {
  let total;
  for (const s of list) {
    if (s.name !== name) continue;
    if (Object.entries(where).some(([k, v]) => String(s.labels[k]) !== v)) continue;
    total = (total ?? 0) + s.value;
  }
  return total;
}

const MOVED = new Set(['sluice_source_records_written_total', 'sluice_sink_records_put_total']);

/** Records each task moved (source: written to RocketMQ; sink: put), as Rates.read takes them. */
export function movedSeries(byWorker) {
  const out = [];
  for (const [worker, list] of byWorker)
    for (const s of list)
      if (MOVED.has(s.name))
        out.push({
          worker,
          connector: String(s.labels.connector),
          task: String(s.labels.task),
          value: s.value,
        });
  return out;
}
