/**
 * Compressed input (src/sources/compression.ts): found by its first bytes, decompressed as it is
 * read in pieces of any size, its source bytes counted for progress; a break in the compressed
 * data keeps what came before it, a failed read of the source still throws.
 */
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {compressionOf, decodeInput, withoutCompressionSuffix} from '../src/sources/compression.js';

const ITEMS = fileURLToPath(new URL('./fixtures/broken-items/', import.meta.url));

/** `bytes` in pieces of `size`, then (optionally) a failed read. */
async function* piecesOf(bytes: Buffer, size: number, failAfter?: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) {
    if (failAfter !== undefined && at >= failAfter) throw Object.assign(new Error('EIO: i/o error, read'), {code: 'EIO'});
    yield bytes.subarray(at, at + size);
  }
}

async function drain(pieces: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const piece of pieces) out.push(Buffer.from(piece));
  return Buffer.concat(out);
}

const text = Buffer.from(Array.from({length: 3000}, (_, index) => `{"id":"run_${index}","object":"thread.run","status":"completed"}\n`).join(''));

describe('compression', () => {
  it('knows gzip and zstd by their magic bytes, and names without their suffix', () => {
    expect(compressionOf(gzipSync('x'))).toBe('gzip');
    expect(compressionOf(readFileSync(`${ITEMS}three-nan.json.zst`))).toBe('zstd');
    expect(compressionOf(Buffer.from('[{"id": 1}]'))).toBeNull();
    expect(compressionOf(Buffer.from([0x1f]))).toBeNull();
    expect(withoutCompressionSuffix('runs.jsonl.GZ')).toBe('runs.jsonl');
    expect(withoutCompressionSuffix('dump.json.zst')).toBe('dump.json');
    expect(withoutCompressionSuffix('runs.json')).toBe('runs.json');
  });

  it('passes plain bytes through as they come, counting them', async () => {
    const input = decodeInput(piecesOf(text, 1000));
    expect(await drain(input.pieces)).toEqual(text);
    expect([input.compression, input.sourceBytes, input.error]).toEqual([null, text.length, null]);
  });

  it.each([3, 7, 4096, 1 << 20])('decompresses gzip read in pieces of %i bytes, counting the compressed bytes', async (size) => {
    const packed = gzipSync(text);
    const input = decodeInput(piecesOf(packed, size));
    expect(await drain(input.pieces)).toEqual(text);
    expect([input.compression, input.sourceBytes, input.error]).toEqual(['gzip', packed.length, null]);
  });

  it('decompresses zstd (fzstd), the same bytes as the plain file', async () => {
    const packed = readFileSync(`${ITEMS}three-nan.json.zst`);
    const input = decodeInput(piecesOf(packed, 100));
    expect(await drain(input.pieces)).toEqual(readFileSync(`${ITEMS}three-nan.json`));
    expect([input.compression, input.sourceBytes, input.error]).toEqual(['zstd', packed.length, null]);
  });

  it('hands out what came before a cut in the compressed data, then says why it stopped', async () => {
    for (const packed of [gzipSync(text), readFileSync(`${ITEMS}three-nan.json.zst`)]) {
      const cut = packed.subarray(0, Math.floor(packed.length * 0.6));
      const input = decodeInput(piecesOf(cut, 64));
      const out = await drain(input.pieces);
      expect(input.error).toMatch(/unexpected (end of file|EOF)/);
      const plain = input.compression === 'gzip' ? text : readFileSync(`${ITEMS}three-nan.json`);
      // zstd hands out whole blocks: a small file's only block is lost with its end.
      if (input.compression === 'gzip') expect(out.length).toBeGreaterThan(0);
      expect(out.length).toBeLessThan(plain.length);
      expect(plain.subarray(0, out.length)).toEqual(out);
    }
  });

  it('a failed read of the source throws its own error, compressed or not', async () => {
    await expect(drain(decodeInput(piecesOf(gzipSync(text), 50, 100)).pieces)).rejects.toMatchObject({code: 'EIO'});
    await expect(drain(decodeInput(piecesOf(text, 50, 100)).pieces)).rejects.toMatchObject({code: 'EIO'});
  });

  it('stopping early closes the source', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        yield* piecesOf(gzipSync(text), 100);
      } finally {
        closed = true;
      }
    }
    const input = decodeInput(source());
    const first = await input.pieces.next();
    expect(first.done).toBe(false);
    await input.pieces.return(undefined);
    for (let tries = 0; tries < 100 && !closed; tries += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(closed).toBe(true);
  });
});
