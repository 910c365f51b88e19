/**
 * A terminal for the bench's workers, in process: a TTY stdout of a fixed size that notes when
 * each frame arrives, and a stdin that Ink reads keys from as ink-testing-library feeds it.
 */
import {EventEmitter} from 'node:events';

// Synchronized-update markers Ink writes around a frame on a terminal: not a frame by themselves.
const SYNC_MARKERS = /\u001b\[\?2026[hl]/g;

/** A terminal's output side: a TTY of a fixed size that records when each frame arrives. */
export class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  frames = 0;
  bytes = 0;
  last = '';
  private waiter: ((at: number, cpu: NodeJS.CpuUsage) => void) | null = null;
  /** Called with each frame's text as it is written (the start-up worker looks for rows). */
  onFrame: ((text: string, at: number) => void) | null = null;

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }

  write = (chunk: string | Uint8Array, encoding?: unknown, callback?: () => void): boolean => {
    const at = performance.now();
    const cpu = process.cpuUsage();
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    this.bytes += text.length;
    if (text.replace(SYNC_MARKERS, '') !== '') {
      this.frames++;
      this.last = text;
      this.onFrame?.(text, at);
      const waiter = this.waiter;
      this.waiter = null;
      waiter?.(at, cpu);
    }
    const done = typeof encoding === 'function' ? (encoding as () => void) : callback;
    done?.();
    return true;
  };

  /** Resolves with the time (and process CPU usage) of the next frame write, or null after `timeoutMs`. */
  nextFrame(timeoutMs: number): Promise<{at: number; cpu: NodeJS.CpuUsage} | null> {
    return new Promise((resolvePromise) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolvePromise(null);
      }, timeoutMs);
      this.waiter = (at, cpu) => {
        clearTimeout(timer);
        resolvePromise({at, cpu});
      };
    });
  }
}

/** A terminal's input side, as ink-testing-library 4 builds it: Ink reads it on 'readable'. */
export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const {data} = this;
    this.data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export class FakeStderr extends EventEmitter {
  write = (): boolean => true;
}

