/**
 * The run ids print mode's first read meets (see streamRunList.ts), each once, by the UTF-8 bytes
 * of its text, with where its first copy is. A Map of every id was a tenth of
 * `list --status requires_action --json` at 100,000 runs: each id decoded from its line into a
 * string, hashed and put in the Map, only to find that almost none is read twice. Here the bytes
 * of an id are hashed where they are and copied into one buffer, and only an id read twice is
 * ever made a string.
 */

/** Slots per entry at most: the table grows when it is half full. */
const LOAD = 2;

/** FNV-1a over `bytes[start, end)`. */
function hashOf(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let at = start; at < end; at += 1) hash = Math.imul(hash ^ bytes[at]!, 0x01000193);
  return hash | 0;
}

export class IdTable {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  /** Per entry: where its bytes are in `bytes`, how many, its hash, and where its first copy is. */
  private from = new Float64Array(1024);
  private length = new Uint32Array(1024);
  private hashes = new Int32Array(1024);
  private first = new Float64Array(1024);
  private entries = 0;
  /** Open addressing: an entry's number + 1 per slot, 0 for an empty one. */
  private slots = new Int32Array(2048);

  /** How many ids are in the table. */
  get size(): number {
    return this.entries;
  }

  /**
   * The place given when the id whose bytes are `key[start, end)` was first added, or null after
   * adding it now, at `at`.
   */
  firstOrAdd(key: Uint8Array, start: number, end: number, at: number): number | null {
    const hash = hashOf(key, start, end);
    const mask = this.slots.length - 1;
    const size = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]! - 1;
      if (entry === -1) {
        this.slots[slot] = this.add(key, start, size, hash, at) + 1;
        if (this.entries * LOAD > this.slots.length) this.rehash();
        return null;
      }
      if (this.hashes[entry] === hash && this.length[entry] === size && this.sameBytes(entry, key, start)) return this.first[entry]!;
    }
  }

  private sameBytes(entry: number, key: Uint8Array, start: number): boolean {
    const from = this.from[entry]!;
    const size = this.length[entry]!;
    for (let index = 0; index < size; index += 1) if (this.bytes[from + index] !== key[start + index]) return false;
    return true;
  }

  private add(key: Uint8Array, start: number, size: number, hash: number, at: number): number {
    if (this.used + size > this.bytes.length) this.bytes = grown(this.bytes, this.used + size);
    this.bytes.set(key.subarray(start, start + size), this.used);
    if (this.entries === this.hashes.length) {
      const count = this.entries * 2;
      this.from = grown(this.from, count);
      this.length = grown(this.length, count);
      this.hashes = grown(this.hashes, count);
      this.first = grown(this.first, count);
    }
    const entry = this.entries++;
    this.from[entry] = this.used;
    this.length[entry] = size;
    this.hashes[entry] = hash;
    this.first[entry] = at;
    this.used += size;
    return entry;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.entries; entry += 1) {
      let slot = this.hashes[entry]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}

type Grown = Uint8Array | Uint32Array | Int32Array | Float64Array;

/** A copy of `array` with room for at least `count` (twice its length, or more). */
function grown<T extends Grown>(array: T, count: number): T {
  const copy = new (array.constructor as new (length: number) => T)(Math.max(2 * array.length, count));
  copy.set(array);
  return copy;
}
