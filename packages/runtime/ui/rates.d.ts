/** One counter of one task on one worker. */
export interface Series {
  worker: string;
  connector: string;
  task: string;
  value: number;
}

/** Per-second rates summed per `worker:ID`, `connector:NAME` and `task:NAME/ID`, with the last 60 points. */
export class Rates {
  read(series: Series[], atMs: number): void;
  rate(key: string): number | undefined;
  history(key: string): number[];
}
