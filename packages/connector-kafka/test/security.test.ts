import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientIssues, clientSettings } from '../src/config.ts';
import { explainKafkaFailure, isRetriableKafkaError } from '../src/kafka-errors.ts';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';

test('mTLS settings: certificate and key go to the TLS options, together and as PEM text', () => {
  const s = clientSettings(
    {
      'kafka.bootstrap.server': 'k:9093',
      'kafka.security.protocol': 'SSL',
      'kafka.ssl.ca.pem': CERT,
      'kafka.ssl.certificate.pem': CERT,
      'kafka.ssl.key.pem': KEY,
      'kafka.ssl.key.password': 'pass',
    },
    'c',
  );
  assert.deepEqual(s.tls, { ca: CERT, cert: CERT, key: KEY, passphrase: 'pass', rejectUnauthorized: true });
  assert.deepEqual(
    clientIssues({ 'kafka.ssl.certificate.pem': CERT }).map((i) => i.field),
    ['kafka.ssl.key.pem'],
  );
  const named = clientIssues({
    'kafka.ssl.ca.pem': '/etc/kafka/ca.pem',
    'kafka.ssl.certificate.pem': CERT,
    'kafka.ssl.key.pem': 'secret-key-text',
  });
  assert.deepEqual(
    named.map((i) => i.field),
    ['kafka.ssl.ca.pem', 'kafka.ssl.key.pem'],
  );
  // The key's text is never quoted back.
  assert.ok(named.every((i) => !i.message.includes('secret-key-text')));
});

// The nesting @platformatic/kafka gives a refused SASL login.
const refusedLogin = {
  code: 'PLT_KFK_MULTIPLE',
  message: 'Cannot connect to any broker.',
  errors: [
    {
      code: 'PLT_KFK_NETWORK',
      message: 'Connection to 127.0.0.1:9094 failed.',
      cause: { code: 'PLT_KFK_AUTHENTICATION', message: 'SASL authentication failed.' },
    },
  ],
};

test('refused credentials are final and say whose; a broker away is passing', async () => {
  assert.equal(isRetriableKafkaError(refusedLogin), false);
  const f = await explainKafkaFailure('Kafka fetch failed', refusedLogin, {
    bootstrap: ['127.0.0.1:9094'],
    clientId: 'c',
    sasl: { mechanism: 'SCRAM-SHA-512', username: 'alice', password: 'pw-never-shown' },
  });
  assert.equal(f.retriable, false);
  assert.match(f.message, /refused the SASL credentials of user alice \(SCRAM-SHA-512\)/);
  assert.doesNotMatch(f.message, /pw-never-shown/);
  const away = {
    code: 'PLT_KFK_MULTIPLE',
    errors: [{ code: 'PLT_KFK_NETWORK', message: 'Connection refused' }],
  };
  const passing = await explainKafkaFailure('Kafka fetch failed', away, {
    bootstrap: ['127.0.0.1:1'],
    clientId: 'c',
  });
  assert.deepEqual(passing, { message: 'Kafka fetch failed: Connection refused', retriable: true });
});
