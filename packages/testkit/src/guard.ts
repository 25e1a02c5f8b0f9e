import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/**
 * The parent side of the reaper (see reaper.ts): every process group and directory the testkit
 * creates is registered here first, so that it is cleaned up even if this process dies by SIGKILL.
 */
export class ProcessGuard {
  readonly #reaper: ChildProcess;
  /** On the command line of every process this guard owns: how the reaper knows a pid is still ours. */
  readonly runMarker = `-Dsluice.testkit.run=${process.pid}-${randomBytes(4).toString('hex')}`;

  constructor() {
    // Run the reaper from the same kind of file we are: reaper.ts from source, reaper.js from dist.
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const script = fileURLToPath(new URL(`./reaper${ext}`, import.meta.url));
    // Detached: Ctrl-C reaches our process group, not the reaper's, so the reaper is still there
    // to clean up if our own SIGINT handling does not finish.
    this.#reaper = spawn(process.execPath, [script, this.runMarker], {
      detached: true,
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    this.#reaper.unref();
    (this.#reaper.stdin as unknown as { unref(): void }).unref();
  }

  #say(line: string): void {
    this.#reaper.stdin?.write(`${line}\n`);
  }

  trackPid(pid: number): void {
    this.#say(`pid ${pid}`);
  }

  forgetPid(pid: number): void {
    this.#say(`forget ${pid}`);
  }

  trackDir(dir: string): void {
    this.#say(`dir ${dir}`);
  }

  forgetDir(dir: string): void {
    this.#say(`undir ${dir}`);
  }

  /** Everything was cleaned up by its owner: let the reaper go without touching anything. */
  close(): void {
    this.#say('exit');
    this.#reaper.stdin?.end();
  }
}
