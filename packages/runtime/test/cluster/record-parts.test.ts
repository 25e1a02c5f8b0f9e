import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PartAssembler, splitRecord } from '../../src/cluster/record-parts.ts';

const read = (assembler: PartAssembler, bodies: string[]) =>
  bodies.flatMap((b) => {
    const got = assembler.take(JSON.parse(b));
    return got ? [got.whole] : [];
  });

test('a record that fits one message is itself; a larger one comes back whole from its parts', () => {
  assert.deepEqual(splitRecord('{"a":1}', 100), ['{"a":1}']);
  // Wide characters and a surrogate pair cut in the middle survive.
  const record = {
    kind: 'snapshot',
    entries: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, `v😀é${i}`])),
  };
  const bodies = splitRecord(JSON.stringify(record), 97);
  assert.ok(bodies.length > 10);
  assert.deepEqual(read(new PartAssembler(), bodies), [record]);
});

test('parts of two records interleave; one whose first parts are gone never completes', () => {
  const a = { kind: 'snapshot', n: 'a'.repeat(500) };
  const b = { kind: 'snapshot', n: 'b'.repeat(500) };
  const pa = splitRecord(JSON.stringify(a), 100);
  const pb = splitRecord(JSON.stringify(b), 100);
  const mixed = pa.flatMap((p, i) => [p, pb[i]!]).filter(Boolean);
  assert.deepEqual(read(new PartAssembler(), [...mixed, '{"kind":"op"}']), [a, b, { kind: 'op' }]);
  assert.deepEqual(read(new PartAssembler(), pa.slice(2)), [], 'its beginning was deleted');
});
