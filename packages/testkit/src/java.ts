import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { TestkitError } from './errors.ts';
import type { ProcessGuard } from './guard.ts';
import { requireJava } from './toolchain.ts';

/** A system property on every JVM the testkit starts, so `ps` can tell ours from anyone else's. */
/**
 * On the command line of every JVM the testkit starts. `SLUICE_TESTKIT_SESSION` (set by the test
 * runner) goes into it, so a run checks for leftovers of its own JVMs only, not of another run
 * on the same machine.
 */
export const JVM_MARKER = `-Dsluice.testkit=${process.env.SLUICE_TESTKIT_SESSION ?? '1'}`;
/**
 * Java 17 takes its default charset from the locale, and a machine or CI job without one (POSIX)
 * gets ASCII: non-ASCII in a source file, a body or a log line turns into '?'. Every JVM of the
 * kit runs in UTF-8 whatever the environment.
 */
export const JVM_UTF8 = [
  '-Dfile.encoding=UTF-8',
  '-Dsun.stdout.encoding=UTF-8',
  '-Dsun.stderr.encoding=UTF-8',
];

export interface JavaOptions {
  name: string;
  classpath: string;
  mainClass: string;
  args?: string[];
  jvmArgs?: string[];
  env?: Record<string, string>;
  cwd: string;
  logFile: string;
  guard: ProcessGuard;
}

/** One JVM in its own process group, output appended to its log file, registered with the guard. */
export class JavaProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly exited: Promise<number | null>;
  /** Milliseconds from spawn until the owner's readiness check passed (see markReady). */
  readyMs: number | undefined;
  readonly #startedAt = performance.now();
  #exitCode: number | null | undefined;
  /** How the process ended ("exit code 1", "killed by SIGKILL"), once it has. */
  exitReason: string | undefined;
  readonly #guard: ProcessGuard;

  constructor(opts: JavaOptions) {
    requireJava();
    this.name = opts.name;
    this.logFile = opts.logFile;
    this.#guard = opts.guard;
    const fd = openSync(opts.logFile, 'a');
    const child = spawn(
      'java',
      [
        JVM_MARKER,
        ...JVM_UTF8,
        opts.guard.runMarker,
        // A JVM crash writes its report here rather than into a working dir that gets deleted.
        `-XX:ErrorFile=${opts.logFile}.hs_err_%p.log`,
        ...(opts.jvmArgs ?? []),
        '-cp',
        opts.classpath,
        opts.mainClass,
        ...(opts.args ?? []),
      ],
      {
        cwd: opts.cwd,
        env: { ...process.env, ...opts.env },
        stdio: ['ignore', fd, fd],
        detached: true,
      },
    );
    closeSync(fd);
    if (child.pid === undefined) throw new TestkitError(`could not start ${opts.name}`);
    this.pid = child.pid;
    this.#guard.trackPid(this.pid);
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.#exitCode = code;
        this.exitReason = signal ? `killed by ${signal}` : `exit code ${code}`;
        this.#guard.forgetPid(this.pid);
        resolve(code);
      });
    });
  }

  markReady(): void {
    this.readyMs ??= performance.now() - this.#startedAt;
  }

  /** Resident set size in bytes, read from /proc (undefined once the process is gone). */
  rssBytes(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
      return kb === undefined ? undefined : Number(kb) * 1024;
    } catch {
      return undefined;
    }
  }

  get running(): boolean {
    return this.#exitCode === undefined;
  }

  /** SIGTERM (the brokers' shutdown hooks flush and deregister), then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.#signal('SIGTERM');
    const timer = setTimeout(() => this.#signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Dies at once, as on a crash or power loss. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.#signal('SIGKILL');
    await this.exited;
  }

  /** Freezes the process (the broker keeps its sockets open but answers nothing). */
  pause(): void {
    this.#signal('SIGSTOP');
  }

  resume(): void {
    this.#signal('SIGCONT');
  }

  #signal(sig: NodeJS.Signals): void {
    // Never signal a pid that may already belong to someone else: this machine's pid space is
    // 32768 and JVM threads use it up fast, so a dead JVM's pid comes back within minutes.
    if (!this.running) return;
    try {
      process.kill(-this.pid, sig);
    } catch {
      // the group is gone already
    }
  }
}
