import { isIP } from 'node:net';
import { connect } from 'node:tls';
import type { KafkaClientSettings } from './kafka-client.ts';

// What a failed Kafka call means to a task: whether retrying may help, and a message an operator
// can act on. Kafka being away heals by itself; refused credentials or certificates never do, so
// they fail the task at once (no restart loop) with the user, mechanism or certificate named.

export interface KafkaFailure {
  message: string;
  retriable: boolean;
}

type Nested = { errors?: unknown[]; cause?: unknown; code?: string; message?: string; canRetry?: boolean };

/** Every error in the library's nesting (MultipleErrors → NetworkError → cause …), outermost first. */
function chain(err: unknown): Nested[] {
  const out: Nested[] = [];
  const walk = (e: unknown, depth: number) => {
    if (!e || typeof e !== 'object' || depth > 8) return;
    const n = e as Nested;
    out.push(n);
    for (const x of n.errors ?? []) walk(x, depth + 1);
    walk(n.cause, depth + 1);
  };
  walk(err, 0);
  return out;
}

/**
 * Whether retrying may help: a programming or user error at the root (a bad argument, an unknown
 * topic with autocreation off) will not heal, nor will refused credentials.
 */
export function isRetriableKafkaError(err: unknown): boolean {
  if (chain(err).some((e) => e.code === 'PLT_KFK_AUTHENTICATION')) return false;
  let e = err as Nested | undefined;
  while (e?.errors && e.errors.length > 0) e = e.errors[0] as Nested;
  if (e instanceof TypeError || e instanceof RangeError) return false;
  return e?.canRetry !== false;
}

/** The innermost message, for logs and task traces. */
export function rootMessage(err: unknown): string {
  let e = err as Nested | undefined;
  while (e?.errors && e.errors.length > 0) e = e.errors[0] as Nested;
  return e?.message ?? String(err);
}

/** `what` failed: why, in the operator's terms. TLS failures are probed to name their cause. */
export async function explainKafkaFailure(
  what: string,
  err: unknown,
  settings: KafkaClientSettings,
): Promise<KafkaFailure> {
  if (chain(err).some((e) => e.code === 'PLT_KFK_AUTHENTICATION')) {
    const { mechanism = '?', username = '?' } = settings.sasl ?? {};
    return {
      message: `${what}: Kafka refused the SASL credentials of user ${username} (${mechanism}): check kafka.sasl.username, kafka.sasl.password and kafka.sasl.mechanism (${rootMessage(err)})`,
      retriable: false,
    };
  }
  const retriable = isRetriableKafkaError(err);
  // The library reports a refused TLS handshake as a closed connection: ask the broker directly.
  if (retriable && settings.tls && chain(err).some((e) => e.code === 'PLT_KFK_NETWORK')) {
    const tls = await probeTls(settings);
    if (tls) return { message: `${what}: ${tls}`, retriable: false };
  }
  return { message: `${what}: ${rootMessage(err)}`, retriable };
}

// Alerts and local checks that mean a setting is wrong, not that the broker is away.
const TLS_SETTING_ERRORS: [RegExp, string][] = [
  [
    /ALERT_BAD_CERTIFICATE|ALERT_CERTIFICATE_REQUIRED|ALERT_HANDSHAKE_FAILURE/,
    'the broker wants a client certificate it accepts: set kafka.ssl.certificate.pem and kafka.ssl.key.pem',
  ],
  [
    /ALERT_CERTIFICATE_UNKNOWN|ALERT_UNKNOWN_CA|ALERT_DECRYPT_ERROR/,
    'the broker does not trust this client’s certificate (kafka.ssl.certificate.pem): it must be signed by a CA in the broker’s truststore',
  ],
  [
    /UNABLE_TO_VERIFY|SELF_SIGNED|CERT_UNTRUSTED|UNABLE_TO_GET_ISSUER/,
    'the broker’s certificate is not signed by a CA this client trusts: set kafka.ssl.ca.pem',
  ],
  [/ERR_TLS_CERT_ALTNAME_INVALID/, 'the broker’s certificate is not for the address it was reached at'],
  [/CERT_HAS_EXPIRED|CERT_NOT_YET_VALID/, 'a certificate is outside its validity period'],
  [
    /ERR_OSSL|BAD_DECRYPT|KEY_VALUES_MISMATCH/,
    'the client key cannot be used (kafka.ssl.key.pem, kafka.ssl.key.password)',
  ],
];

/** Connects to the first broker with the task's TLS options; a setting error's explanation, if any. */
async function probeTls(settings: KafkaClientSettings): Promise<string | undefined> {
  const [host, port] = (settings.bootstrap[0] ?? '').split(/:(?=\d+$)/);
  if (!host || !port) return undefined;
  const error = await new Promise<{ code?: string; message: string } | undefined>((resolve) => {
    let socket: ReturnType<typeof connect> | undefined;
    const timer = setTimeout(() => done(undefined), 5000);
    const done = (e: { code?: string; message: string } | undefined) => {
      clearTimeout(timer);
      socket?.destroy();
      resolve(e);
    };
    try {
      socket = connect({
        host,
        port: Number(port),
        ...(isIP(host) ? {} : { servername: host }),
        ...settings.tls,
      });
    } catch (e) {
      return done(e as Error);
    }
    socket.on('error', (e) => done(e as Error));
    // A broker that refuses the client's certificate says so right after the handshake.
    socket.on('secureConnect', () => {
      socket?.resume();
      setTimeout(() => done(undefined), 1000).unref();
    });
    socket.on('close', () => done(undefined));
  });
  if (!error) return undefined;
  const text = `${error.code ?? ''} ${error.message}`;
  const found = TLS_SETTING_ERRORS.find(([re]) => re.test(text));
  return found ? `TLS to ${host}:${port} failed: ${found[1]} (${error.code ?? error.message})` : undefined;
}
