/**
 * The load's worker thread (see messageChecker.ts): checks batches of message lines
 * (messageCheck.ts) and posts back their light fields as typed arrays and one string.
 */
import {parentPort} from 'node:worker_threads';
import {checkMessageLines, StreamMemories} from './messageCheck.js';

/** A batch as the checker posts it, or the end of a stream (its ids are dropped). */
export type BatchRequest = {id: number; stream: number; bytes: Uint8Array; ends: Int32Array; count: number} | {close: number};

const memories = new StreamMemories();

parentPort?.on('message', (request: BatchRequest) => {
  if ('close' in request) {
    memories.close(request.close);
    return;
  }
  const {id, stream, bytes, ends, count} = request;
  const wire = checkMessageLines(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), ends, count, memories.of(stream));
  parentPort!.postMessage({id, wire}, [wire.accepted.buffer, wire.lengths.buffer, wire.times.buffer] as ArrayBuffer[]);
});
