import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeProperties } from '../src/properties.ts';

test('writeProperties writes key=value lines, escaping backslashes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'props-'));
  try {
    const file = join(dir, 'a.properties');
    await writeProperties(file, { listenPort: 9876, flag: true, path: 'C:\\data' });
    assert.equal(await readFile(file, 'utf8'), 'listenPort=9876\nflag=true\npath=C:\\\\data\n');
  } finally {
    await rm(dir, { recursive: true });
  }
});
