import type { Socket } from 'node:net';
import { RocketMQError } from '../errors.ts';

/** Asked right before a fenced frame is completed: once it says no, the frame is not. */
export type WriteFence = () => boolean;

/** Told once how a fenced frame ended: undefined when all of it reached the kernel. */
export type FencedDone = (err?: RocketMQError) => void;

interface Job {
  parts: readonly Buffer[];
  fence?: WriteFence;
  done?: FencedDone;
}

/**
 * Writes frames to one socket, in the order given. A *fenced* frame is completed only if its
 * fence holds at the instant its last byte is handed to the kernel.
 *
 * Why the last byte: what a socket write hands to Node is sent whenever the kernel takes it,
 * even after a process frozen meanwhile (SIGSTOP, a long GC pause) wakes up — long after the
 * fence was asked, and after the writer's task moved to another worker. So a fenced frame goes
 * out in two writes: all but its last byte, and — once those bytes are all in the kernel and the
 * fence still holds — the last byte, which must be taken at once. A broker acts on a frame only
 * once all of it arrived: if the fence says no in between, or the kernel cannot take the last
 * byte at once, the connection is cut and the broker drops the partial frame. Frames written
 * meanwhile wait their turn here, so nothing comes between the two parts.
 */
export class SocketWriter {
  readonly #socket: Socket;
  readonly #cut: (reason: Error) => void;
  readonly #queue: Job[] = [];
  /** A fenced frame is between its two writes. */
  #busy = false;
  #closed = false;

  /** `cut` closes the connection (and fails its requests) with a reason. */
  constructor(socket: Socket, cut: (reason: Error) => void) {
    this.#socket = socket;
    this.#cut = cut;
  }

  write(parts: readonly Buffer[]): void {
    if (this.#busy) this.#queue.push({ parts });
    else this.#put(parts);
  }

  /** Writes a frame whose completion `fence` must allow; `done` tells how it ended. */
  writeFenced(parts: readonly Buffer[], fence: WriteFence, done: FencedDone): void {
    if (this.#busy) this.#queue.push({ parts, fence, done });
    else this.#start(parts, fence, done);
  }

  /** The connection closed: frames still waiting here are dropped (their requests fail with it). */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
  }

  #put(parts: readonly Buffer[]): void {
    if (parts.length === 1) {
      this.#socket.write(parts[0]!);
      return;
    }
    // One writev for all parts: a large body goes to the kernel without being copied first.
    this.#socket.cork();
    for (const part of parts) this.#socket.write(part);
    this.#socket.uncork();
  }

  #start(parts: readonly Buffer[], fence: WriteFence, done: FencedDone): void {
    if (!fence()) {
      done(fenced());
      return;
    }
    const last = parts[parts.length - 1]!;
    const tail = last.subarray(last.length - 1);
    // A frame is never shorter than its 8-byte head, so the head part is never empty.
    const head = [...parts.slice(0, -1), last.subarray(0, last.length - 1)].filter((p) => p.length > 0);
    this.#busy = true;
    // Called once the head is in the kernel (at once when it was taken at once, on the next tick).
    const headWritten = (err?: Error | null) => {
      if (this.#closed) return; // the connection's close already failed the request
      if (err) {
        this.#cut(err);
        return;
      }
      if (!fence()) {
        done(fenced());
        this.#cut(new Error('a fenced request was cut off before its last byte'));
        return;
      }
      this.#socket.write(tail);
      if (this.#socket.writableLength > 0) {
        // The kernel's buffer is full: the byte would go whenever it drains, fence or not.
        const reason = new Error('the last byte of a fenced request did not reach the kernel at once');
        done(
          new RocketMQError('CONNECTION_CLOSED', `${reason.message}: connection cut`, { retriable: true }),
        );
        this.#cut(reason);
        return;
      }
      done();
      this.#busy = false;
      this.#next();
    };
    this.#socket.cork();
    for (const [i, part] of head.entries())
      this.#socket.write(part, i === head.length - 1 ? headWritten : undefined);
    this.#socket.uncork();
  }

  #next(): void {
    while (!this.#busy && !this.#closed) {
      const job = this.#queue.shift();
      if (!job) return;
      if (job.fence && job.done) this.#start(job.parts, job.fence, job.done);
      else this.#put(job.parts);
    }
  }
}

function fenced(): RocketMQError {
  return new RocketMQError('ABORTED', 'request fenced off: this writer may not write any more');
}
