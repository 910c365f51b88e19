import {Readable} from 'node:stream';
import type {CliOptions} from '../../src/cli/args.js';
import {queryFrom} from '../../src/cli/main.js';
import {streamRunList} from '../../src/cli/streamRunList.js';
import {OutputCollector} from './outputCollector.js';

/** `runlens list` of `files` through streamRunList itself: piped output, no stdin, reads of `chunkBytes`. */
export async function streamList(files: string[], options: CliOptions, nowSeconds: number, chunkBytes: number): Promise<{code: number; stdout: string; stderr: string}> {
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
  });
  return {code, stdout: stdout.text, stderr: stderr.text};
}
