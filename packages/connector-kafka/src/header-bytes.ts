// Kafka header names, and values that repeat on every record (owner headers, the loop marker), as
// bytes made once instead of once per record: a sink task writes the same few names hundreds of
// thousands of times a second, and each Buffer.from was an allocation the GC then had to chase.

/** Distinct strings kept at most; past that the cache starts again (a bound, not an LRU). */
const MAX_CACHED = 4096;
const cache = new Map<string, Buffer>();

/** `s` as UTF-8 bytes, shared: the caller must never write into it. */
export function headerBytes(s: string): Buffer {
  let b = cache.get(s);
  if (b === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    b = Buffer.from(s, 'utf8');
    cache.set(s, b);
  }
  return b;
}
