import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FileStore } from '../../src/stores/file-store.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-store-'));
});
after(() => rm(dir, { recursive: true, force: true }));

test('values survive a reopen; undefined deletes', async () => {
  const file = join(dir, 'a', 'positions.json');
  const s = await FileStore.open<{ offset: number }>(file);
  await s.putAll(
    new Map([
      ['p0', { offset: 1 }],
      ['p1', { offset: 2 }],
    ]),
  );
  await s.putAll(
    new Map([
      ['p0', { offset: 3 }],
      ['p1', undefined],
    ]),
  );
  await s.close();
  const again = await FileStore.open<{ offset: number }>(file);
  assert.deepEqual([...again.entries()], [['p0', { offset: 3 }]]);
});

test('concurrent writes are serialized; the file holds the last state', async () => {
  const file = join(dir, 'concurrent.json');
  const s = await FileStore.open<number>(file);
  await Promise.all(Array.from({ length: 50 }, (_, i) => s.putAll(new Map([[`k${i % 5}`, i]]))));
  const again = await FileStore.open<number>(file);
  assert.deepEqual(Object.fromEntries(again.entries()), { k0: 45, k1: 46, k2: 47, k3: 48, k4: 49 });
});

test('a damaged file is a clear error, not an empty store', async () => {
  const file = join(dir, 'damaged.json');
  await writeFile(file, '{"a":');
  await assert.rejects(FileStore.open(file), /not valid JSON/);
});

test('kill -9 in the middle of writes leaves a whole, parseable file', async () => {
  const file = join(dir, 'killed.json');
  const script = `
    import { FileStore } from ${JSON.stringify(new URL('../../src/stores/file-store.ts', import.meta.url).href)};
    const s = await FileStore.open(${JSON.stringify(file)});
    const big = 'x'.repeat(200_000);
    for (let i = 0; ; i++) { await s.putAll(new Map([['n', i], ['pad', big]])); if (i === 3) process.stdout.write('go\\n'); }
  `;
  for (let round = 0; round < 3; round++) {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 20 + round * 30));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { n: number; pad: string };
    assert.ok(parsed.n >= 3);
    assert.equal(parsed.pad.length, 200_000);
  }
});
