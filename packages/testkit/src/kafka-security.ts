import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TestkitError } from './errors.ts';
import type { ConfigValue } from './properties.ts';

// A secured Kafka for tests: besides its PLAINTEXT listener, a broker can take SASL_PLAINTEXT
// (PLAIN and SCRAM-SHA-512, both with the same users) and SSL with client authentication,
// from certificates made here with openssl. Inter-broker traffic stays on PLAINTEXT.

export interface KafkaSecurityOptions {
  /** Users (name → password) of SASL_PLAINTEXT: PLAIN and SCRAM-SHA-512 both know them. */
  saslUsers?: Record<string, string>;
  /** An SSL listener that requires a client certificate signed by the test CA. */
  ssl?: boolean;
}

/** PEM texts of the test CA and of a client certificate it signed (mTLS). */
export interface TestCertificates {
  dir: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** A client certificate from another CA: the broker refuses it. */
  strangerCertPem: string;
  strangerKeyPem: string;
  /** The broker's key and certificate chain in one PEM file, the CA in another (Kafka's PEM stores). */
  serverPemFile: string;
  caPemFile: string;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.error)
    throw new TestkitError(`openssl is needed for TLS tests (apt-get install openssl): ${r.error.message}`);
  if (r.status !== 0) throw new TestkitError(`openssl ${args[0]} failed: ${r.stderr.trim()}`);
}

/** A CA, a server certificate for 127.0.0.1/localhost and client certificates, under `dir`. */
export async function makeCertificates(dir: string): Promise<TestCertificates> {
  await mkdir(dir, { recursive: true });
  const days = ['-days', '2'];
  // A new key and either a self-signed certificate (a CA) or a request for one to sign.
  const newKey = (name: string, cn: string, out: string[]) =>
    openssl(
      ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-subj', `/CN=${cn}`, ...out],
      dir,
    );
  const selfSigned = (name: string, cn: string) =>
    newKey(name, cn, ['-x509', '-out', `${name}.pem`, ...days]);
  selfSigned('ca', 'sluice test CA');
  selfSigned('other-ca', 'someone else');
  const signed = (name: string, cn: string, ca: string, ext?: string) => {
    newKey(name, cn, ['-out', `${name}.csr`]);
    const sign = ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`];
    openssl(
      [...sign, '-CAcreateserial', '-out', `${name}.pem`, ...days, ...(ext ? ['-extfile', ext] : [])],
      dir,
    );
  };
  await writeFile(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  signed('server', 'localhost', 'ca', 'server.ext');
  signed('client', 'sluice-client', 'ca');
  signed('stranger', 'stranger', 'other-ca');
  const read = (f: string) => readFile(join(dir, f), 'utf8');
  const serverPemFile = join(dir, 'server-store.pem');
  await writeFile(serverPemFile, (await read('server.key')) + (await read('server.pem')));
  return {
    dir,
    caPem: await read('ca.pem'),
    clientCertPem: await read('client.pem'),
    clientKeyPem: await read('client.key'),
    strangerCertPem: await read('stranger.pem'),
    strangerKeyPem: await read('stranger.key'),
    serverPemFile,
    caPemFile: join(dir, 'ca.pem'),
  };
}

/** The listeners a broker has besides PLAINTEXT and CONTROLLER: name → address. */
export type SecureListeners = Partial<Record<'SASL_PLAINTEXT' | 'SSL', string>>;

/** server.properties entries for the secured listeners (joined to the plain ones by the caller). */
export function securityConfig(
  security: KafkaSecurityOptions,
  listeners: SecureListeners,
  certs: TestCertificates | undefined,
): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  if (listeners.SASL_PLAINTEXT) {
    const users = Object.entries(security.saslUsers ?? {})
      .map(([u, p]) => `user_${u}="${p}"`)
      .join(' ');
    out['sasl.enabled.mechanisms'] = 'PLAIN,SCRAM-SHA-512';
    out['listener.name.sasl_plaintext.plain.sasl.jaas.config'] =
      `org.apache.kafka.common.security.plain.PlainLoginModule required ${users};`;
    out['listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config'] =
      'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  }
  if (listeners.SSL && certs) {
    out['listener.name.ssl.ssl.keystore.type'] = 'PEM';
    out['listener.name.ssl.ssl.keystore.location'] = certs.serverPemFile;
    out['listener.name.ssl.ssl.truststore.type'] = 'PEM';
    out['listener.name.ssl.ssl.truststore.location'] = certs.caPemFile;
    out['listener.name.ssl.ssl.client.auth'] = 'required';
  }
  return out;
}

/** StorageTool arguments that give the SCRAM users their credentials at format time. */
export function scramFormatArgs(security: KafkaSecurityOptions | undefined): string[] {
  return Object.entries(security?.saslUsers ?? {}).flatMap(([u, p]) => [
    '--add-scram',
    `SCRAM-SHA-512=[name=${u},password=${p}]`,
  ]);
}
