import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envName, parseWorkerConfig, redactWorkerConfig } from '../../src/config/worker-config.ts';

const base = 'workerId=w1\nstorePathRootDir=/tmp/store\nnamesrvAddr=127.0.0.1:9876\n';

test('defaults, types and the seed keys', () => {
  const { config, warnings } = parseWorkerConfig(
    `${base}httpPort=8083 #rest\naclEnable=true\naccessKey=ak\nsecretKey=sk\npluginPaths=/a, /b\n`,
  );
  assert.deepEqual(warnings, []);
  assert.equal(config.httpPort, 8083);
  assert.equal(config.aclEnable, true);
  assert.deepEqual(config.pluginPaths, ['/a', '/b']);
  assert.equal(config.autoCreateGroupEnable, true);
  assert.equal(config.httpBindAddress, '127.0.0.1');
  assert.equal(redactWorkerConfig(config).secretKey, '********');
});

test('environment variables override the file; command-line overrides win over both', () => {
  assert.equal(envName('httpPort'), 'SLUICE_HTTP_PORT');
  assert.equal(envName('autoCreateGroupEnable'), 'SLUICE_AUTO_CREATE_GROUP_ENABLE');
  const { config } = parseWorkerConfig(`${base}httpPort=1`, {
    env: { SLUICE_HTTP_PORT: '2', SLUICE_WORKER_ID: 'from-env' },
    overrides: { httpPort: '3' },
  });
  assert.equal(config.httpPort, 3);
  assert.equal(config.workerId, 'from-env');
});

test('unknown keys are warned about, with file and line', () => {
  const { warnings } = parseWorkerConfig(`${base}httpPrt=8082\n`, { file: 'connect.conf' });
  assert.deepEqual(warnings, ['connect.conf:4: unknown key "httpPrt" is ignored']);
});

test('bad values fail clearly, naming where they came from', () => {
  assert.throws(
    () => parseWorkerConfig(`${base}httpPort=80a82`, { file: 'c.conf' }),
    /c\.conf:4: "httpPort" must be a port number/,
  );
  assert.throws(() => parseWorkerConfig(`${base}httpPort=70000`), /"httpPort" must be a port number/);
  assert.throws(() => parseWorkerConfig(`${base}aclEnable=yes`), /"aclEnable" must be true or false/);
  assert.throws(() => parseWorkerConfig('storePathRootDir=/x\nnamesrvAddr=a:1'), /"workerId" is required/);
  assert.throws(() => parseWorkerConfig(`${base}aclEnable=true`), /needs accessKey and secretKey/);
  assert.throws(() => parseWorkerConfig(base.replace('w1', 'bad id')), /workerId must be/);
  assert.throws(
    () => parseWorkerConfig(base, { env: { SLUICE_HTTP_PORT: 'x' } }),
    /environment variable SLUICE_HTTP_PORT: "httpPort"/,
  );
  assert.throws(() => parseWorkerConfig(base, { overrides: { nope: '1' } }), /unknown worker setting "nope"/);
});

test('relative paths are read against the config file’s directory', () => {
  const { config } = parseWorkerConfig(
    'workerId=w\nstorePathRootDir=store\nnamesrvAddr=x:1\npluginPaths=plugins, /abs/p\nhttpTlsCertFile=tls/c.pem\nhttpTlsKeyFile=tls/k.pem\n',
    { file: '/etc/sluice/connect.conf' },
  );
  assert.equal(config.storePathRootDir, '/etc/sluice/store');
  assert.deepEqual(config.pluginPaths, ['/etc/sluice/plugins', '/abs/p']);
  assert.equal(config.httpTlsCertFile, '/etc/sluice/tls/c.pem');
  assert.equal(config.httpTlsKeyFile, '/etc/sluice/tls/k.pem');
});
