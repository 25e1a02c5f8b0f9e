import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWorkerConfig } from '../../src/config/worker-config.ts';
import { prettyLine } from '../../src/logging/pretty.ts';

test('--pretty: time, level, message, then the fields as key=value', () => {
  const line = JSON.stringify({
    level: 40,
    time: Date.UTC(2026, 11, 2, 14, 3, 4, 567),
    pid: 1,
    hostname: 'h',
    worker: 'w1',
    msg: 'task failed; restarting it by itself',
    error: 'timed out after 30000 ms',
    attempt: 2,
  });
  assert.equal(
    prettyLine(line),
    '14:03:04.567 WARN  task failed; restarting it by itself  worker=w1 error="timed out after 30000 ms" attempt=2\n',
  );
  assert.equal(prettyLine('not json'), 'not json\n');
});

test('logLevel: a worker key (and SLUICE_LOG_LEVEL), one of pino’s levels', () => {
  const base = 'workerId=w\nnamesrvAddr=127.0.0.1:9876\nstorePathRootDir=/tmp/x\n';
  assert.equal(parseWorkerConfig(base).config.logLevel, 'info');
  assert.equal(parseWorkerConfig(`${base}logLevel=DEBUG\n`).config.logLevel, 'debug');
  assert.equal(parseWorkerConfig(base, { env: { SLUICE_LOG_LEVEL: 'warn' } }).config.logLevel, 'warn');
  assert.throws(() => parseWorkerConfig(`${base}logLevel=loud\n`), /logLevel must be one of trace, debug/);
});
