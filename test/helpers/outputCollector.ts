import {Writable} from 'node:stream';

/** A stdout/stderr stand-in for runCli tests: collects the text, and says whether it is a terminal and how wide. */
export class OutputCollector extends Writable {
  text = '';

  constructor(
    readonly isTTY = false,
    readonly columns: number | undefined = 120,
  ) {
    super();
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}
