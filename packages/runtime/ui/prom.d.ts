/** One sample of a worker's metrics. */
export interface Sample {
  name: string;
  labels: Record<string, string | number>;
  value: number;
}

/** prom-client's JSON form (/metrics?format=json) → samples, histogram buckets left out. */
export function samples(
  metrics: {
    name: string;
    values: { value: number; labels?: Partial<Record<string, string | number>>; metricName?: string }[];
  }[],
): Sample[];

/** The sum of `name`'s samples whose labels match `where`; undefined when there are none. */
export function sum(list: Sample[], name: string, where?: Record<string, string>): number | undefined;

/** Records each task moved (source: written to RocketMQ; sink: put), as Rates.read takes them. */
export function movedSeries(
  byWorker: Iterable<[string, Sample[]]>,
): { worker: string; connector: string; task: string; value: number }[];
