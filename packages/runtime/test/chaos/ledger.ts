// The chaos suite's bookkeeping, pure: what was fed (sequence numbers, each in one scenario),
// what the input topic holds and what arrived on the far side, turned into lost, duplicated and
// epoch regressions per scenario.

/** One record as read back from a topic: where it is, its sequence number and who wrote it. */
export interface ReadRecord {
  /** Queue or partition, e.g. `broker-a#3` or `p2`. */
  place: string;
  offset: bigint;
  seq: number;
  connector?: string | undefined;
  epoch?: bigint | undefined;
  worker?: string | undefined;
  /** When it was stored (RocketMQ) or stamped (Kafka), ms since the epoch. */
  at?: number | undefined;
}

/** A record that came after a newer epoch of its connector in its place, and that newer one. */
export interface Regression {
  record: ReadRecord;
  after: ReadRecord;
}

export interface ScenarioCount {
  scenario: string;
  /** Sequence numbers the feeder had acknowledged. */
  fed: number;
  lost: number;
  /** Copies on the far side beyond what the input held (the input may hold feeder retries). */
  duplicated: number;
  /** Records written under an older epoch of their connector after a newer one, per place. */
  epochRegressions: number;
}

export interface Ledger {
  /** Scenario names in order; `scenarioOf(seq)` indexes into it. */
  scenarios: readonly string[];
  scenarioOf: (seq: number) => number;
  /** Every sequence number the feeder saw acknowledged. */
  acked: Iterable<number>;
}

function counts(records: readonly ReadRecord[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of records) out.set(r.seq, (out.get(r.seq) ?? 0) + 1);
  return out;
}

/** Per place in offset order: a record whose connector already wrote there under a newer epoch. */
export function epochRegressions(records: readonly ReadRecord[]): Regression[] {
  const byPlace = new Map<string, ReadRecord[]>();
  for (const r of records) {
    const list = byPlace.get(r.place) ?? [];
    if (list.length === 0) byPlace.set(r.place, list);
    list.push(r);
  }
  const out: Regression[] = [];
  for (const list of byPlace.values()) {
    list.sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
    const highest = new Map<string, ReadRecord>();
    for (const r of list) {
      if (r.connector === undefined || r.epoch === undefined) continue;
      const top = highest.get(r.connector);
      if (top?.epoch !== undefined && r.epoch < top.epoch) out.push({ record: r, after: top });
      else highest.set(r.connector, r);
    }
  }
  return out;
}

/** Lost, duplicated and regressions per scenario of one direction (input → far side). */
export function tally(
  ledger: Ledger,
  input: readonly ReadRecord[],
  far: readonly ReadRecord[],
): ScenarioCount[] {
  const rows = ledger.scenarios.map((scenario) => ({
    scenario,
    fed: 0,
    lost: 0,
    duplicated: 0,
    epochRegressions: 0,
  }));
  const row = (seq: number) => rows[ledger.scenarioOf(seq)];
  const inCount = counts(input);
  const farCount = counts(far);
  for (const seq of ledger.acked) {
    const r = row(seq);
    if (!r) continue;
    r.fed++;
    if (!farCount.has(seq)) r.lost++;
  }
  for (const [seq, n] of farCount) {
    const r = row(seq);
    if (r) r.duplicated += Math.max(0, n - Math.max(1, inCount.get(seq) ?? 0));
  }
  for (const bad of epochRegressions(far)) {
    const r = row(bad.record.seq);
    if (r) r.epochRegressions++;
  }
  return rows;
}

/** Scenario index of a sequence number, from the feed positions each scenario started at. */
export function scenarioIndexer(starts: readonly number[]): (seq: number) => number {
  return (seq) => {
    let i = 0;
    while (i + 1 < starts.length && seq >= starts[i + 1]!) i++;
    return i;
  };
}
