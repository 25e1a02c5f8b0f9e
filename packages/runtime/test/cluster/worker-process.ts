import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

// `sluice worker` processes for the cluster tests and the failover benchmark.

const SLUICE = join(import.meta.dirname, '../../src/cli/sluice.ts');
// What users run: the compiled CLI (`npm run build`), no type stripping at load.
const SLUICE_BUILT = join(import.meta.dirname, '../../dist/cli/sluice.js');
/** The node flags of the `sluice` command's shebang (src/cli/sluice.ts). */
export const WORKER_NODE_FLAGS = ['--max-semi-space-size=8'];

export interface WorkerProcess {
  workerId: string;
  url: string;
  /** Its httpAuthToken, when the settings gave one: callWorker sends it. */
  token: string | undefined;
  process: ChildProcess;
  /** Logs of this worker (stderr, JSON lines). */
  log: string[];
  exited: Promise<number | null>;
}

/** Starts a worker on an ephemeral HTTP port; resolves once it joined the cluster. */
export async function startWorkerProcess(opts: {
  dir: string;
  namesrvAddr: string;
  workerId: string;
  settings?: Record<string, string>;
  /** Run the compiled CLI from dist/ instead of the TypeScript sources (benchmarks). */
  built?: boolean;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}): Promise<WorkerProcess> {
  const { dir, namesrvAddr, workerId } = opts;
  const conf = join(dir, `${workerId}.conf`);
  const settings = {
    workerId,
    storePathRootDir: join(dir, 'store'),
    namesrvAddr,
    httpPort: '0',
    offsetCommitIntervalMs: '500',
    heartbeatIntervalMs: '1000',
    memberTimeoutMs: '6000',
    // The file connectors are installed only with directories to confine them to.
    fileConnectorDirs: dir,
    ...opts.settings,
  };
  await writeFile(
    conf,
    Object.entries(settings)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  const entry = opts.built ? [SLUICE_BUILT] : ['--conditions=sluice:source', SLUICE];
  const flags = [...WORKER_NODE_FLAGS, ...(opts.nodeArgs ?? [])];
  const child = spawn(process.execPath, [...flags, ...entry, 'worker', conf], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${workerId} did not start: ${log.join('')}`));
    }, 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const e = JSON.parse(line) as { event?: string; url?: string };
        if (e.event === 'started') {
          clearTimeout(timer);
          resolve(e.url!);
        }
      } catch {}
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${workerId} exited with ${code}: ${log.join('').slice(-3000)}`));
    });
  });
  return { workerId, url, token: opts.settings?.httpAuthToken, process: child, log, exited };
}

/** A JSON request to a worker's HTTP API. */
export async function callWorker(
  w: { url: string; token?: string | undefined },
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(w.url + path, {
    method,
    headers: {
      ...(w.token ? { authorization: `Bearer ${w.token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: res.status, json };
}

export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
): Promise<number> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - t0;
}

/** A GET sent exactly as written: braces and quotes unencoded, as a browser or plain curl does. */
export function rawGet(url: string, path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
