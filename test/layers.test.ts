/**
 * Every arrow points down: no file imports a layer above its own (the order is the table in
 * test/helpers/layers.ts), and no files import each other in a loop.
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {checkLayers, KNOWN_EXCEPTIONS, LAYERS} from './helpers/layers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('the layers of runlens', () => {
  it('no file imports a layer above its own, and no files import each other in a loop', () => {
    expect(checkLayers(ROOT)).toEqual([]);
  });

  it('lets no import through as an exception: LoadWarning and ListQuery are in model/, below every layer that reads them', () => {
    expect(KNOWN_EXCEPTIONS.map((exception) => `${exception.from} -> ${exception.to}`)).toEqual([]);
  });
});

describe('the layer check', () => {
  let root: string;
  const write = (files: Record<string, string>) => {
    root = mkdtempSync(path.join(tmpdir(), 'runlens-layers-'));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.join(root, path.dirname(file)), {recursive: true});
      writeFileSync(path.join(root, file), text);
    }
    return root;
  };
  afterEach(() => rmSync(root, {recursive: true, force: true}));

  it('names the file, the line and both layers of an import that points up', () => {
    write({
      'src/model/run.ts': "// the run\nimport {cell} from '../format/cells.js';\nexport const run = cell;\n",
      'src/format/cells.ts': 'export const cell = 1;\n',
    });
    expect(checkLayers(root, {exceptions: []})).toEqual(['src/model/run.ts:2 imports src/format/cells.ts: model may not import format, a layer above it']);
  });

  it('counts type-only and dynamic imports, and lets imports down and within a layer through', () => {
    write({
      'src/cli/main.ts': "import type {View} from '../../components/View.js';\nexport const load = () => import('../model/run.js');\n",
      'components/View.tsx': "import type {Run} from '../src/model/run.js';\nexport type View = Run;\n",
      'src/model/run.ts': "import type {Cell} from '../format/cells.js';\nexport type Run = {id: string; cell: Cell};\n",
      'src/format/cells.ts': "import {id} from './ids.js';\nexport type Cell = typeof id;\n",
      'src/format/ids.ts': 'export const id = 1;\n',
    });
    expect(checkLayers(root, {exceptions: []})).toEqual(['src/model/run.ts:1 imports src/format/cells.ts: model may not import format, a layer above it']);
  });

  it('finds an import cycle, even within one folder, and names each import of it', () => {
    write({
      'src/panes/a.ts': "import {b} from './b.js';\nexport const a = () => b;\n",
      'src/panes/b.ts': "\nimport type {c} from './c.js';\nexport const b = 1 as unknown as typeof c;\n",
      'src/panes/c.ts': "import {a} from './a.js';\nexport const c = a;\n",
    });
    expect(checkLayers(root, {exceptions: []})).toEqual([
      'import cycle among src/panes/a.ts, src/panes/b.ts, src/panes/c.ts: src/panes/a.ts:1 imports src/panes/b.ts, src/panes/b.ts:2 imports src/panes/c.ts, src/panes/c.ts:1 imports src/panes/a.ts',
    ]);
  });

  it('names a file in no layer, and a known exception that no longer occurs', () => {
    write({'src/plugins/extra.ts': 'export const extra = 1;\n', 'src/model/run.ts': 'export const run = 1;\n'});
    expect(checkLayers(root, {exceptions: [{from: 'src/model/run.ts', to: 'src/format/cells.ts'}]})).toEqual([
      'src/plugins/extra.ts: in no layer; give it a rung in test/helpers/layers.ts',
      'src/model/run.ts no longer imports src/format/cells.ts: remove the known exception',
    ]);
  });

  it('lets a known exception through, for the layer order and for cycles', () => {
    write({
      'src/sources/a.ts': "import {b} from './b.js';\nimport type {Query} from '../store/query.js';\nexport const a: Query = b;\n",
      'src/sources/b.ts': "import {a} from './a.js';\nexport const b = a;\n",
      'src/store/query.ts': 'export type Query = unknown;\n',
    });
    const exceptions = [
      {from: 'src/sources/b.ts', to: 'src/sources/a.ts'},
      {from: 'src/sources/a.ts', to: 'src/store/query.ts'},
    ];
    expect(checkLayers(root, {exceptions})).toEqual([]);
    expect(checkLayers(root, {exceptions: exceptions.slice(0, 1)})).toEqual(['src/sources/a.ts:2 imports src/store/query.ts: sources may not import store, a layer above it']);
  });

  it('orders the layers it is given: the last is the top', () => {
    expect(LAYERS[0]!.name).toBe('model');
    expect(LAYERS.at(-1)!.name).toBe('cli');
    write({'src/model/run.ts': "import {cli} from '../cli/main.js';\nexport const run = cli;\n", 'src/cli/main.ts': 'export const cli = 1;\n'});
    const reversed = [...LAYERS].reverse();
    expect(checkLayers(root, {exceptions: []})).toEqual(['src/model/run.ts:1 imports src/cli/main.ts: model may not import cli, a layer above it']);
    expect(checkLayers(root, {exceptions: [], layers: reversed})).toEqual([]);
  });
});
