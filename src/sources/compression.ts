/**
 * Compressed input (`runs.jsonl.gz`, `export.json.zst`, `zcat`-less pipes): recognised by its
 * first bytes, whatever its name, and decompressed as a stream, so a large file is never held
 * whole and its runs come while it is read. gzip is Node's zlib; zstd is `fzstd` (pure
 * JavaScript: Node 20's zlib has no zstd, which arrived in Node 22.15).
 */
import {Readable, Transform, pipeline} from 'node:stream';
import {createGunzip} from 'node:zlib';
import type {Decompress} from 'fzstd';

export type Compression = 'gzip' | 'zstd';

const SUFFIX = /\.(gz|zst)$/i;

/** The name inside the compression: `runs.jsonl.gz` → `runs.jsonl` (which says JSON Lines). */
export function withoutCompressionSuffix(name: string): string {
  return name.replace(SUFFIX, '');
}

/** The compression that bytes starting so are in (gzip `1f 8b`, zstd `28 b5 2f fd`), or null. */
export function compressionOf(head: Uint8Array): Compression | null {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return null;
}

/**
 * fzstd's streaming decompressor as a Transform, so both formats run through one pipeline. fzstd is
 * imported here, when a zstd input is met: the start-up of every other input never loads it.
 */
async function zstdTransform(): Promise<Transform> {
  const {Decompress} = await import('fzstd');
  let decompressor: Decompress;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        decompressor.push(chunk);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        decompressor.push(new Uint8Array(0), true);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  // A copy: fzstd may hand out views of a buffer it reuses.
  decompressor = new Decompress((data) => void transform.push(Buffer.from(data)));
  return transform;
}

/** gzip's output comes in pieces of this size (zlib's 16 KB made a reader's per-piece work a cost of its own). */
const OUTPUT_CHUNK_BYTES = 256 * 1024;

/** An error of the input itself (a failed read), told apart from one of the decompression. */
class InputError extends Error {
  constructor(readonly inner: unknown) {
    super('input failed');
  }
}

/** Bytes from a source that may be compressed, decompressed if they are. */
export interface DecodedInput {
  /** The bytes as the readers want them: decompressed when the input was compressed. */
  pieces: AsyncGenerator<Buffer>;
  /** The compression found in the first bytes; known once the first piece has been asked for. */
  readonly compression: Compression | null;
  /** Bytes read from the source itself (compressed bytes for a compressed one): what progress counts. */
  readonly sourceBytes: number;
  /**
   * Why the decompression stopped early (data cut short or corrupt), or null. What came before
   * the break has been handed out; the pieces then end as if the input had.
   */
  readonly error: string | null;
}

/**
 * Looks at the first bytes of `source` and, when they are gzip or zstd, decompresses the rest as
 * it is read. A failed read of the source throws, as it would without this; a decompression
 * error ends the pieces and is kept in `error`, so the runs before it still load.
 */
export function decodeInput(source: AsyncIterable<Buffer>): DecodedInput {
  const state: {compression: Compression | null; sourceBytes: number; error: string | null} = {compression: null, sourceBytes: 0, error: null};
  const iterator = source[Symbol.asyncIterator]();

  // Copies: a file's pieces share one buffer, and the decompressor reads ahead of the consumer.
  async function* counted(first: Buffer[], copy: boolean): AsyncGenerator<Buffer> {
    try {
      for (const piece of first) yield piece;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        state.sourceBytes += next.value.length;
        yield copy ? Buffer.from(next.value) : next.value;
      }
    } catch (error) {
      throw new InputError(error);
    } finally {
      await iterator.return?.();
    }
  }

  async function* decode(): AsyncGenerator<Buffer> {
    // Four bytes tell the formats apart; stdin may give them one at a time.
    const head: Buffer[] = [];
    let headBytes = 0;
    while (headBytes < 4) {
      const next = await iterator.next();
      if (next.done) break;
      head.push(Buffer.from(next.value));
      headBytes += next.value.length;
    }
    state.sourceBytes = headBytes;
    const compression = compressionOf(Buffer.concat(head, headBytes));
    state.compression = compression;
    if (!compression) {
      try {
        yield* counted(head, false);
      } catch (error) {
        throw error instanceof InputError ? error.inner : error;
      }
      return;
    }
    const decompress = compression === 'gzip' ? createGunzip({chunkSize: OUTPUT_CHUNK_BYTES}) : await zstdTransform();
    const input = Readable.from(counted(head, true), {objectMode: false, highWaterMark: 1});
    pipeline(input, decompress, () => {});
    try {
      for await (const chunk of decompress) yield chunk as Buffer;
    } catch (error) {
      if (error instanceof InputError) throw error.inner;
      state.error = error instanceof Error ? error.message : String(error);
    } finally {
      input.destroy();
      decompress.destroy();
    }
  }

  return {
    pieces: decode(),
    get compression() {
      return state.compression;
    },
    get sourceBytes() {
      return state.sourceBytes;
    },
    get error() {
      return state.error;
    },
  };
}

/** The warning for a compressed input whose decompression broke off: what came before it was loaded. */
export function decompressionWarning(compression: Compression | null, error: string): string {
  return `the ${compression ?? 'compressed'} data stops early (${error}; cut short?); what came before is loaded`;
}
