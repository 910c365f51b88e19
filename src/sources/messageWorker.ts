/**
 * The load's worker thread (see messageChecker.ts): checks batches of message lines
 * (messageCheck.ts) and posts back their light fields as typed arrays and one string.
 */
import {parentPort} from 'node:worker_threads';
import {checkMessageLines} from './messageCheck.js';

/** A batch as the checker posts it. */
export interface BatchRequest {
  id: number;
  bytes: Uint8Array;
  ends: Int32Array;
  count: number;
}

parentPort?.on('message', ({id, bytes, ends, count}: BatchRequest) => {
  const wire = checkMessageLines(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), ends, count);
  parentPort!.postMessage({id, wire}, [wire.accepted.buffer, wire.lengths.buffer, wire.times.buffer] as ArrayBuffer[]);
});
