import { randomUUID } from 'node:crypto';

// A state-topic record too large for one RocketMQ message (a snapshot of many connectors with CA
// bundles, or of 50,000 partitions' positions) travels as parts, each its own message, and is
// put together again by every reader; a reader sees the whole record at its last part's offset.
// Readers that do not know parts (older workers) skip them as records of an unknown kind.

/** Characters of a record's JSON per part: at most 3 MiB in UTF-8, under the 4 MiB limit. */
export const PART_CHARS = 1024 * 1024;

interface Part {
  kind: 'part';
  id: string;
  /** 0-based. */
  i: number;
  n: number;
  text: string;
}

/** The message bodies (JSON) that carry a record: itself when it fits one, else its parts. */
export function splitRecord(json: string, max = PART_CHARS): string[] {
  if (json.length <= max) return [json];
  const id = randomUUID();
  const n = Math.ceil(json.length / max);
  return Array.from({ length: n }, (_, i) => {
    const part: Part = { kind: 'part', id, i, n, text: json.slice(i * max, (i + 1) * max) };
    return JSON.stringify(part);
  });
}

function isPart(v: unknown): v is Part {
  const p = v as Partial<Part> | null;
  return (
    !!p &&
    p.kind === 'part' &&
    typeof p.id === 'string' &&
    typeof p.text === 'string' &&
    Number.isInteger(p.i) &&
    Number.isInteger(p.n)
  );
}

/**
 * Puts parts together in log order. A record whose first parts were deleted (retention) or that
 * another part interrupted oddly never completes and is dropped; so is anything unparseable.
 */
export class PartAssembler {
  readonly #open = new Map<string, string[]>();

  /** The whole record for a value read from the log, or undefined while parts are missing. */
  take(value: unknown): { whole: unknown } | undefined {
    if (!isPart(value)) return { whole: value };
    const texts = this.#open.get(value.id) ?? [];
    if (value.i !== texts.length) {
      this.#open.delete(value.id);
      return undefined;
    }
    texts.push(value.text);
    if (texts.length < value.n) {
      this.#open.set(value.id, texts);
      return undefined;
    }
    this.#open.delete(value.id);
    try {
      return { whole: JSON.parse(texts.join('')) };
    } catch {
      return undefined;
    }
  }

  /** Reading starts elsewhere: parts read so far belong to nothing. */
  reset(): void {
    this.#open.clear();
  }
}
