/**
 * The bundle's fast paths in Ink's frame output (build.mjs: ansi-tokenize's tokenize and styled
 * characters, Ink's blank cells) give the same output as the libraries themselves. The modules
 * are bundled here with the CLI's plugins, as the CLI is, and compared with the originals on
 * random styled text: plain and escaped, SGR codes simple and compound, broken escapes, and
 * characters that join neighbours (which must take the segmenter's path).
 */
import fc from 'fast-check';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import {join, resolve} from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import * as original from '@alcalzone/ansi-tokenize';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPlugins} from '../build.mjs';

type Tokenizer = typeof original;
interface OutputLike {
  write(x: number, y: number, text: string, options: {transformers: Array<(line: string, index: number) => string>}): void;
  clip(clip: {x1?: number; x2?: number; y1?: number; y2?: number}): void;
  unclip(): void;
  get(): {output: string; height: number};
}
type OutputClass = new (options: {width: number; height: number}) => OutputLike;

const ROOT = resolve(import.meta.dirname, '..');
let temp = '';
let bundled: Tokenizer & {Output: OutputClass; OriginalOutput: OutputClass};

beforeAll(async () => {
  temp = mkdtempSync(join(os.tmpdir(), 'runlens-ink-frame-'));
  const entry = join(temp, 'entry.mjs');
  // Ink's package exports only its index: its output module is bundled by path.
  const output = join(ROOT, 'node_modules/ink/build/output.js');
  writeFileSync(entry, `export * from '@alcalzone/ansi-tokenize';\nexport {default as Output} from ${JSON.stringify(output)};\n`);
  const result = await build({entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', write: false, plugins: cliPlugins, nodePaths: [join(ROOT, 'node_modules')], absWorkingDir: ROOT, logLevel: 'silent'});
  const warnings = result.warnings.map((warning) => warning.text);
  // A plugin that no longer finds what it patches warns instead: the test would compare the library with itself.
  expect(warnings).toEqual([]);
  const file = join(temp, 'bundled.mjs');
  writeFileSync(file, result.outputFiles[0]!.text);
  const OriginalOutput = ((await import(pathToFileURL(output).href)) as {default: OutputClass}).default;
  bundled = {...((await import(pathToFileURL(file).href)) as Tokenizer & {Output: OutputClass}), OriginalOutput};
}, 60_000);

afterAll(() => {
  if (temp) rmSync(temp, {recursive: true, force: true});
});

const ESC = '\u001b';
// SGR codes as chalk and Ink write them, compound ones, 256 and true colour, resets, and broken escapes.
const CODES = ['[31m', '[39m', '[1m', '[22m', '[2m', '[7m', '[27m', '[4m', '[24m', '[0m', '[m', '[1;31m', '[38;5;202m', '[48;2;10;20;30m', '[32;1;4m', '[90m', '[49m', '[K', '[', 'x', ']8;;http://a\u0007', ']8;;\u0007'];
// Characters that are a cluster of their own, and ones that join a neighbour or are wide.
const PLAIN = ['a', 'Z', ' ', '0', '~', 'é', 'Ж', '–', '…', '·', '↓', '✓', '✗', '⚑', '│', '─', '●', '▸', '≥', 'Σ'];
const JOINING = ['\u0301', '\u200d', '\ufe0f', '👍', '🏽', '東', '한', '\u1100', '\u1161', '🇫', '🇷', '\r\n', '\t', '\u0000'];

const styled = (pieces: fc.Arbitrary<string>) => fc.array(pieces, {maxLength: 60}).map((parts) => parts.join(''));
const code = fc.constantFrom(...CODES).map((text) => ESC + text);
const plainText = styled(fc.oneof({arbitrary: fc.constantFrom(...PLAIN), weight: 6}, {arbitrary: code, weight: 2}));
const anyText = styled(fc.oneof({arbitrary: fc.constantFrom(...PLAIN), weight: 6}, {arbitrary: code, weight: 2}, {arbitrary: fc.constantFrom(...JOINING), weight: 1}));

describe('ansi-tokenize in the bundle', () => {
  it('tokenizes as the library does, with and without a limit of visible characters (property)', () => {
    fc.assert(
      fc.property(fc.oneof(plainText, anyText), fc.option(fc.integer({min: 1, max: 80}), {nil: undefined}), (text, limit) => {
        expect(bundled.tokenize(text, limit)).toEqual(original.tokenize(text, limit));
      }),
      {numRuns: 2000},
    );
  });

  it('styles each character and writes cells back out as the library does (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(plainText, anyText), {minLength: 1, maxLength: 4}), fc.nat({max: 20}), (texts, blanks) => {
        const ours = texts.map((text) => bundled.styledCharsFromTokens(bundled.tokenize(text)));
        const theirs = texts.map((text) => original.styledCharsFromTokens(original.tokenize(text)));
        expect(ours).toEqual(theirs);
        // A row as Ink builds it: lines side by side, blank cells between and after.
        const blank = () => ({type: 'char' as const, value: ' ', fullWidth: false, styles: []});
        const row = <T>(lines: T[][], cell: () => T) => lines.flatMap((line) => [...line, ...Array.from({length: blanks}, cell)]);
        const shared = Object.freeze(blank());
        expect(bundled.styledCharsToString(row(ours, () => shared))).toBe(original.styledCharsToString(row(theirs, blank)));
      }),
      {numRuns: 1000},
    );
  });
});

describe("Ink's output in the bundle", () => {
  it('draws the same frame from the same writes, frame after frame (property)', () => {
    const write = fc.record({x: fc.nat({max: 30}), y: fc.nat({max: 6}), text: fc.array(fc.oneof(plainText, anyText), {minLength: 1, maxLength: 3}).map((lines) => lines.join('\n'))});
    fc.assert(
      fc.property(fc.array(fc.array(write, {maxLength: 8}), {minLength: 1, maxLength: 3}), fc.integer({min: 10, max: 50}), (frames, width) => {
        // Several frames in a row: the bundle keeps its caches (and its one blank cell) across them.
        for (const writes of frames) {
          const ours = new bundled.Output({width, height: 6});
          const theirs = new bundled.OriginalOutput({width, height: 6});
          for (const {x, y, text} of writes) {
            ours.write(x, y, text, {transformers: []});
            theirs.write(x, y, text, {transformers: []});
          }
          expect(ours.get()).toEqual(theirs.get());
        }
      }),
      {numRuns: 300},
    );
  });

  // A frame whose rows are each one line written at the left edge (the run list) is put together
  // from each row's string; anything else (a clip, a write beside another, a row written twice,
  // a line past the bottom) is built cell by cell. Both give Ink's frame.
  it('draws the same frame from rows written at the left edge, kept from frame to frame, and from anything else (property)', () => {
    type Step = {kind: 'write'; x: number; y: number; text: string; transform: 'none' | 'inverse' | 'numbered'} | {kind: 'clip'; x1: number; x2: number; y1: number; y2: number} | {kind: 'unclip'};
    const inverse = (line: string) => `${ESC}[7m${line}${ESC}[27m`;
    const numbered = (line: string, index: number) => `${index}:${line}`;
    const left = fc.record({kind: fc.constant('write' as const), x: fc.constant(0), y: fc.integer({min: -1, max: 8}), text: fc.array(fc.oneof(plainText, anyText), {minLength: 1, maxLength: 2}).map((lines) => lines.join('\n')), transform: fc.constantFrom('none' as const, 'inverse' as const, 'numbered' as const)});
    const anywhere = fc.record({kind: fc.constant('write' as const), x: fc.nat({max: 30}), y: fc.nat({max: 7}), text: fc.oneof(plainText, anyText), transform: fc.constant('none' as const)});
    const clip = fc.record({kind: fc.constant('clip' as const), x1: fc.nat({max: 10}), x2: fc.integer({min: 5, max: 40}), y1: fc.nat({max: 3}), y2: fc.integer({min: 2, max: 8})});
    const step: fc.Arbitrary<Step> = fc.oneof({arbitrary: left, weight: 12}, {arbitrary: anywhere, weight: 1}, {arbitrary: clip, weight: 1}, {arbitrary: fc.constant({kind: 'unclip' as const}), weight: 1});
    // Most frames: one write per row, rows 0 to 7 in order, as a column of Texts writes them.
    // Rows of SGR codes and one-cell characters only (the run list's) take a path of their own: many of them.
    const sgrOnly = styled(fc.oneof({arbitrary: fc.constantFrom(...PLAIN), weight: 5}, {arbitrary: fc.constantFrom(...CODES.filter((text) => /^\[[0-9;]*m$/.test(text))).map((text) => ESC + text), weight: 2}));
    const column = fc.array(fc.tuple(fc.oneof({arbitrary: sgrOnly, weight: 3}, plainText, anyText), fc.constantFrom('none' as const, 'inverse' as const)), {minLength: 1, maxLength: 8}).map((rows) => rows.map(([text, transform], y): Step => ({kind: 'write', x: 0, y, text, transform})));
    const frame = fc.oneof(column, fc.array(step, {maxLength: 10}));
    // Rows drawn in one frame come back in later ones (the same line, another width): a few texts shared by every frame.
    fc.assert(
      fc.property(fc.array(fc.tuple(frame, fc.integer({min: 8, max: 50})), {minLength: 1, maxLength: 4}), (frames) => {
        for (const [steps, width] of frames) {
          const ours = new bundled.Output({width, height: 8});
          const theirs = new bundled.OriginalOutput({width, height: 8});
          for (const target of [ours, theirs]) {
            let clips = 0;
            for (const one of steps) {
              if (one.kind === 'clip') {
                clips++;
                target.clip(one);
              } else if (one.kind === 'unclip') {
                if (clips === 0) continue;
                clips--;
                target.unclip();
              } else target.write(one.x, one.y, one.text, {transformers: one.transform === 'none' ? [] : one.transform === 'inverse' ? [inverse] : [numbered]});
            }
          }
          expect(ours.get()).toEqual(theirs.get());
        }
      }),
      {numRuns: 1500},
    );
  });
});
