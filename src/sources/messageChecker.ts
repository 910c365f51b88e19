/**
 * Where message lines are checked (see messageLines.ts): one worker thread for the whole program,
 * started when a file first has enough of them, and kept while it has batches to answer (idle, it
 * does not hold the process open). Without a worker (its file not found beside the bundle, a
 * thread that fails) the same check runs on this thread: slower, the same messages.
 */
import {existsSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {Worker} from 'node:worker_threads';
import {checkMessageLines, StreamMemories} from './messageCheck.js';
import {ACCEPTED, ACCEPTED_AGAIN, type MessageChecker, type MessageLineBatch, type MessageWire} from './messageLines.js';
import type {BatchRequest} from './messageWorker.js';

/** The memories of streams checked on this thread. */
const memoriesHere = new StreamMemories();

/** The check on this thread. */
export const checkHere: MessageChecker = {
  check: (batch, stream) => Promise.resolve(checkMessageLines(batch.bytes, batch.ends, batch.count, memoriesHere.of(stream))),
  close: (stream) => memoriesHere.close(stream),
};

/**
 * The worker's script. Bundled (build.mjs, bench/run.ts), it is an entry of its own beside the
 * program, which may sit in a chunks folder; run from source (tests), the TypeScript file through
 * tsx, which registers itself in the thread.
 */
function startWorker(): Worker | null {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // tsx's ESM entry (its `require` one imports the ESM one by a path of its own).
    const tsx = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
    const script = new URL('./messageWorker.ts', here).href;
    return new Worker(`import(${JSON.stringify(tsx)}).then(({register}) => { register(); return import(${JSON.stringify(script)}); })`, {eval: true});
  }
  const script = workerScriptNear(here);
  return script ? new Worker(script) : null;
}

/** The bundled worker script beside the bundle file `moduleUrl` (the program's entry, or one of its chunks), or null. */
export function workerScriptNear(moduleUrl: string): URL | null {
  for (const candidate of ['./messageWorker.js', '../messageWorker.js', './messageWorker.mjs']) {
    const url = new URL(candidate, moduleUrl);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

interface Waiting {
  batch: MessageLineBatch;
  stream: number;
  resolve: (wire: MessageWire) => void;
}

/** The worker thread and the batches it has not answered yet. */
class WorkerChecker implements MessageChecker {
  private worker: Worker | null | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  /** Streams the thread has had batches of (until they close): it alone knew their ids. */
  private readonly sentToWorker = new Set<number>();
  /** Batches the thread has answered (tests tell by it that the thread, not the fall-back, checked them). */
  answered = 0;

  check(batch: MessageLineBatch, stream: number): Promise<MessageWire> {
    const worker = this.ready();
    if (!worker) return this.sentToWorker.has(stream) ? Promise.resolve(this.checkAfterFailure(batch)) : checkHere.check(batch, stream);
    this.sentToWorker.add(stream);
    const id = this.nextId++;
    return new Promise<MessageWire>((resolve) => {
      this.waiting.set(id, {batch, stream, resolve});
      if (this.waiting.size === 1) worker.ref();
      // Copied, not transferred: a thread that fails leaves the batch here to be checked again.
      const request: BatchRequest = {id, stream, bytes: batch.bytes.subarray(0, batch.filled), ends: batch.ends.subarray(0, batch.count), count: batch.count};
      worker.postMessage(request);
    });
  }

  close(stream: number): void {
    this.sentToWorker.delete(stream);
    if (this.worker) this.worker.postMessage({close: stream} satisfies BatchRequest);
    checkHere.close(stream);
  }

  /**
   * A batch of a stream the failed thread had: checked here, no message taken as fresh and every
   * value sent as it is (the ids and the table the thread kept are gone).
   */
  private checkAfterFailure(batch: MessageLineBatch): MessageWire {
    const wire = checkMessageLines(batch.bytes, batch.ends, batch.count, {seen: new Set(), table: null});
    for (let index = 0; index < wire.accepted.length; index += 1) if (wire.accepted[index] === ACCEPTED) wire.accepted[index] = ACCEPTED_AGAIN;
    return wire;
  }

  private ready(): Worker | null {
    if (this.worker !== undefined) return this.worker;
    let worker: Worker | null;
    try {
      worker = startWorker();
    } catch {
      worker = null;
    }
    this.worker = worker;
    if (!worker) return null;
    worker.unref();
    worker.on('message', ({id, wire}: {id: number; wire: MessageWire}) => {
      const waiting = this.waiting.get(id);
      if (!waiting) return;
      this.waiting.delete(id);
      this.answered += 1;
      if (this.waiting.size === 0) worker.unref();
      waiting.resolve(wire);
    });
    const fail = () => {
      // Whatever it had not answered is checked here; later batches too. The ids the thread kept
      // are gone: here, every message of such a stream is taken as one that may be a copy.
      this.worker = null;
      const left = [...this.waiting.values()];
      this.waiting.clear();
      for (const {batch, resolve} of left) resolve(this.checkAfterFailure(batch));
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    return worker;
  }
}

/** The program's checker: the worker thread, started on first use. */
export const messageChecker = new WorkerChecker();
