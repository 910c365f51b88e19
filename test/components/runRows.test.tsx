/**
 * The run list draws each row as one styled text (components/inkStyle.ts), not a `<Text>` per
 * cell: the frame must be the same, byte for byte, as the nested Texts drew it. Every example run
 * (and hostile ones) is drawn both ways with Ink's renderToString, at several widths, selected or
 * not, with the compare mark's column or without, with colour on and off, glyphs and ASCII.
 */
import chalk from 'chalk';
import {Box, renderToString, Text} from 'ink';
import {beforeAll, describe, expect, it} from 'vitest';
import {DisplayContext} from '../../components/DisplayContext.js';
import {RunList, runRowText} from '../../components/RunList.js';
import {toneProps} from '../../components/StyledLine.js';
import {NO_MODEL_MAP} from '../../src/model/cost.js';
import {cellFor, COLUMN_GAP, fitCell, layoutColumns, measureContent, type LaidOutColumn} from '../../src/format/runColumns.js';
import {MARK_STYLE} from '../../src/format/theme.js';
import type {Run} from '../../src/model/run.js';
import {FIXED_NOW_SECONDS, loadExamples, useChalkLevel} from './helpers.js';

/** The row as RunList drew it before: a Text per cell inside the row's Text (the reference). */
function NestedRow({run, columns, selected, mark, color, ascii}: {run: Run; columns: LaidOutColumn[]; selected: boolean; mark: 'marked' | 'unmarked' | 'none'; color: boolean; ascii: boolean}) {
  const gap = ' '.repeat(COLUMN_GAP);
  return (
    <Text wrap="truncate-end" inverse={selected}>
      {mark === 'none' ? '' : <Text {...toneProps(MARK_STYLE.tone, color)}>{mark === 'marked' ? `${ascii ? MARK_STYLE.asciiGlyph : MARK_STYLE.glyph} ` : '  '}</Text>}
      {columns.map((column, index) => {
        const cell = cellFor(run, column.key, FIXED_NOW_SECONDS, ascii, 0, NO_MODEL_MAP);
        return (
          <Text key={column.key} {...toneProps(cell.tone, color)}>
            {index > 0 ? gap : ''}
            {fitCell(cell.text, column.size, column.align, ascii)}
          </Text>
        );
      })}
    </Text>
  );
}

let runs: Run[] = [];
beforeAll(async () => {
  const examples = (await loadExamples()).runs;
  // Hostile strings (escapes, bidi overrides, wide characters) go through the same cells.
  const hostile = examples.slice(0, 3).map((run, index) => ({...run, id: `run_\u001b[31mred\u202e${index}`, model: index === 0 ? '東京-gpt\u0007' : run.model}));
  runs = [...examples, ...hostile];
});

function bothWays(width: number, color: boolean, ascii: boolean, markColumn: boolean): {nested: string; flat: string} {
  const columns = layoutColumns(width - (markColumn ? 2 : 0), measureContent(runs), 'all');
  const layout = {columns, nowSeconds: FIXED_NOW_SECONDS, ascii, color, modelMap: NO_MODEL_MAP};
  const mark = (index: number) => (markColumn ? (index % 5 === 0 ? 'marked' : 'unmarked') : 'none');
  const nested = renderToString(
    <Box flexDirection="column">
      {runs.map((run, index) => (
        <NestedRow key={index} run={run} columns={columns} selected={index % 3 === 0} mark={mark(index)} color={color} ascii={ascii} />
      ))}
    </Box>,
    {columns: width},
  );
  const flat = renderToString(
    <Box flexDirection="column">
      {runs.map((run, index) => (
        <Text key={index} wrap="truncate-end" inverse={index % 3 === 0}>
          {runRowText(run, layout, 0, mark(index))}
        </Text>
      ))}
    </Box>,
    {columns: width},
  );
  return {nested, flat};
}

describe('a run row as one styled text', () => {
  describe('with chalk on', () => {
    useChalkLevel(3);
    it.each([
      [40, true, false, false],
      [80, true, false, true],
      [120, true, true, false],
      [200, true, false, true],
      [100, false, false, true],
      [100, false, true, false],
    ])('draws the same frame as a Text per cell at %i columns (colour %s, ascii %s, mark column %s)', (width, color, ascii, markColumn) => {
      const {nested, flat} = bothWays(width, color, ascii, markColumn);
      // The frame holds the styles it is about: colour codes when colour is on, reverse video on the selected rows.
      expect(nested).toContain('\u001b[7m');
      if (color) expect(nested).toMatch(/\u001b\[3[1-6]m/);
      expect(flat).toBe(nested);
    });
  });

  describe('with chalk off (no colour terminal)', () => {
    useChalkLevel(0);
    it('draws the same plain frame', () => {
      const {nested, flat} = bothWays(100, true, false, true);
      expect(nested).not.toContain('\u001b[');
      expect(flat).toBe(nested);
    });
  });

  describe('in the list', () => {
    useChalkLevel(3);
    it('keeps each row\'s text while the layout stays, and draws the selected row inverse', () => {
      const draw = (cursor: number) =>
        renderToString(
          <DisplayContext.Provider value={{color: true, ascii: false}}>
            <RunList runs={runs} cursor={cursor} offset={0} height={10} width={100} nowSeconds={FIXED_NOW_SECONDS} contentWidths={measureContent(runs)} />
          </DisplayContext.Provider>,
          {columns: 100},
        );
      const lines = draw(2).split('\n');
      // Line 0 is the column header; row 2 is the third run.
      expect(lines[3]).toContain('\u001b[7m');
      expect(lines[1]).not.toContain('\u001b[7m');
      expect(chalk.level).toBe(3);
    });
  });
});
