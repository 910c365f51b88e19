/**
 * Where the lines of a JSON Lines file are, as a first read through the scanner found them, so
 * that a second read reads only the lines it needs: print mode's `list --status` reads a file
 * twice (see cli/streamRunList.ts), and its second read wants a few lines in ten. Reading the
 * whole file again cost as much as the first read (and on a busy machine, whose cache does not
 * keep the file, its disk reads twice over); reading the wanted lines costs one read per group
 * of nearby lines.
 */
import {readSync} from 'node:fs';

/** A set of line numbers (from 1), one bit a line: a million-line file's takes 125 KB. */
export class LineSet {
  private bits = new Uint8Array(1024);

  add(line: number): void {
    if (line >> 3 >= this.bits.length) {
      const grown = new Uint8Array(Math.max(2 * this.bits.length, (line >> 3) + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[line >> 3]! |= 1 << (line & 7);
  }

  has(line: number): boolean {
    return ((this.bits[line >> 3] ?? 0) & (1 << (line & 7))) !== 0;
  }

  /** The lines in the set, in ascending order. */
  *ascending(): Generator<number> {
    for (let byte = 0; byte < this.bits.length; byte += 1) {
      const bits = this.bits[byte]!;
      if (bits === 0) continue;
      for (let bit = 0; bit < 8; bit += 1) if (bits & (1 << bit)) yield byte * 8 + bit;
    }
  }
}

/** Where each line starts in the file, by line number (8 bytes a line), and where the last one ends. */
export class LineStarts {
  private starts = new Float64Array(1024);
  /** The highest line number noted. */
  lines = 0;

  /** Lines are noted in ascending order, each once. */
  add(line: number, offset: number): void {
    if (line >= this.starts.length) {
      const grown = new Float64Array(Math.max(2 * this.starts.length, line + 1));
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[line] = offset;
    this.lines = line;
  }

  start(line: number): number {
    return this.starts[line]!;
  }

  /** Where the line's bytes end (its newline, which is not part of it), in a file of `length` bytes. */
  end(line: number, length: number): number {
    return line < this.lines ? this.starts[line + 1]! - 1 : length;
  }
}

/** Lines this close together (bytes between them) are read in one read. */
const GAP_BYTES = 16 * 1024;
/** A read of several lines goes no further than this (a longer line is read alone). */
const WINDOW_BYTES = 1 << 20;

/**
 * Reads `lines` (ascending line numbers) of the file open as `fd`, `length` bytes long as it was
 * when `starts` was noted, and hands each to `visit` with its bytes (valid during the call only)
 * and where they start; `visit` returning false stops the reading. `afterRead` runs after each
 * read (to flush output and wait for the pipe).
 */
export async function readLines(
  fd: number,
  starts: LineStarts,
  length: number,
  lines: Iterable<number>,
  visit: (line: number, bytes: Buffer, offset: number) => boolean,
  afterRead: () => Promise<void> | void,
): Promise<void> {
  let buffer = Buffer.allocUnsafe(WINDOW_BYTES);
  const pending: number[] = [];
  const readPending = async (): Promise<boolean> => {
    const from = starts.start(pending[0]!);
    const to = starts.end(pending[pending.length - 1]!, length);
    if (to - from > buffer.length) buffer = Buffer.allocUnsafe(to - from);
    let filled = 0;
    while (filled < to - from) {
      const read = readSync(fd, buffer, filled, to - from - filled, from + filled);
      // The file is shorter than when it was first read: what is left of it is all there is.
      if (read === 0) break;
      filled += read;
    }
    let going = true;
    for (const line of pending) {
      const start = starts.start(line) - from;
      if (start > filled) break;
      going = visit(line, buffer.subarray(start, Math.min(starts.end(line, length) - from, filled)), from + start);
      if (!going) break;
    }
    pending.length = 0;
    await afterRead();
    return going;
  };
  for (const line of lines) {
    if (line < 1 || line > starts.lines) continue;
    if (pending.length > 0) {
      const windowStart = starts.start(pending[0]!);
      const gap = starts.start(line) - starts.end(pending[pending.length - 1]!, length);
      if ((gap > GAP_BYTES || starts.end(line, length) - windowStart > WINDOW_BYTES) && !(await readPending())) return;
    }
    pending.push(line);
  }
  if (pending.length > 0) await readPending();
}
