import {Readable} from 'node:stream';
import {queryFrom, type CliOptions} from '../../src/cli/args.js';
import {streamRunList} from '../../src/cli/streamRunList.js';
import {OutputCollector} from './outputCollector.js';

/** `runlens list` of `files` through streamRunList itself: piped output, no stdin, reads of `chunkBytes`. */
export async function streamList(files: string[], options: CliOptions, nowSeconds: number, chunkBytes: number, afterFirstRead?: () => void): Promise<{code: number; stdout: string; stderr: string}> {
  const stdout = new OutputCollector(false);
  const stderr = new OutputCollector(false);
  const code = await streamRunList(files, {
    options,
    query: queryFrom(options),
    nowSeconds,
    time: {utc: true},
    target: {write: (text) => void stdout.write(text), isTerminal: false, color: false, columns: 100},
    stdout,
    stderr,
    stdin: Readable.from([]),
    chunkBytes,
    ...(afterFirstRead ? {afterFirstRead} : {}),
  });
  return {code, stdout: stdout.text, stderr: stderr.text};
}
