import {Box, Text} from 'ink';
import {memo, useMemo} from 'react';
import {NO_MODEL_MAP, type ModelMap} from '../src/model/cost.js';
import {cellFor, COLUMN_GAP, fitCell, layoutColumns, type ColumnKey, type ColumnView, type LaidOutColumn} from '../src/format/runColumns.js';
import type {Run} from '../src/model/run.js';
import {MARK_STYLE} from '../src/format/theme.js';
import {safeInline} from '../src/format/sanitize.js';
import {useDisplay} from './DisplayContext.js';
import {toneProps} from './StyledLine.js';

/** Props of the windowed run list. */
export interface RunListProps {
  /** All runs in the current order; only `height` of them from `offset` are drawn. */
  runs: readonly Run[];
  cursor: number;
  offset: number;
  /** Rows for runs (the column header and the ▲/▼ line are extra). */
  height: number;
  width: number;
  nowSeconds: number;
  /** Widest values per column (see measureContent), measured once per data change. */
  contentWidths?: Partial<Record<ColumnKey, number>>;
  /** `stuck` (the `!` view) keeps the wait and expiry before the whole id on a narrow terminal. */
  view?: ColumnView;
  /** Tool rounds of the finished runs that took more than one, by run id (their note says so). */
  rounds?: ReadonlyMap<string, number>;
  /** The run marked to compare (`m`); while one is, each row starts with a column for its mark. */
  marked?: string | null;
  /** Deployment name → model for the COST column (the store's, set from the CLI); absent: none mapped. */
  modelMap?: ModelMap;
  /** While a filter goes on across frames: how much is done (0 to 1); `runs` are the matches so far. */
  searching?: number | undefined;
}

const gap = ' '.repeat(COLUMN_GAP);

/** The mark column's width: the glyph and a space. */
const MARK_COLUMN = 2;

const RunRow = memo(function RunRow({run, columns, selected, nowSeconds, rounds, mark, modelMap}: {run: Run; columns: LaidOutColumn[]; selected: boolean; nowSeconds: number; rounds: number; mark: 'marked' | 'unmarked' | 'none'; modelMap: ModelMap}) {
  const {color, ascii} = useDisplay();
  return (
    <Text wrap="truncate-end" inverse={selected}>
      {mark === 'none' ? '' : <Text {...toneProps(MARK_STYLE.tone, color)}>{mark === 'marked' ? `${ascii ? MARK_STYLE.asciiGlyph : MARK_STYLE.glyph} ` : ' '.repeat(MARK_COLUMN)}</Text>}
      {columns.map((column, index) => {
        const cell = cellFor(run, column.key, nowSeconds, ascii, rounds, modelMap);
        return (
          <Text key={column.key} {...toneProps(cell.tone, color)}>
            {index > 0 ? gap : ''}
            {fitCell(cell.text, column.size, column.align, ascii)}
          </Text>
        );
      })}
    </Text>
  );
});

/**
 * The run list. It renders only the rows in its window, so 100,000 runs cost what 30 do; the
 * window itself (offset, cursor) lives in the store.
 */
export function RunList({runs, cursor, offset, height, width, nowSeconds, contentWidths, view = 'all', rounds, marked = null, modelMap = NO_MODEL_MAP, searching}: RunListProps) {
  // The mark's column is there only while a run is marked, so the list is laid out as before otherwise.
  const markWidth = marked === null ? 0 : MARK_COLUMN;
  const {ascii} = useDisplay();
  const columns = useMemo(() => layoutColumns(width - markWidth, contentWidths, view), [width, markWidth, contentWidths, view]);
  const rows = runs.slice(offset, offset + height);
  const above = offset;
  const below = Math.max(0, runs.length - offset - rows.length);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {' '.repeat(markWidth)}
        {columns.map((column, index) => (index > 0 ? gap : '') + fitCell(column.header, column.size, column.align)).join('')}
      </Text>
      {rows.map((run, index) => (
        <RunRow key={run.id} run={run} columns={columns} selected={offset + index === cursor} nowSeconds={nowSeconds} rounds={rounds?.get(run.id) ?? 0} mark={marked === null ? 'none' : run.id === marked ? 'marked' : 'unmarked'} modelMap={modelMap} />
      ))}
      <Text dimColor wrap="truncate-end">
        {above > 0 ? `▲ ${above} more` : ''}
        {above > 0 && below > 0 ? '   ' : ''}
        {below > 0 ? `▼ ${below} more` : ''}
        {runs.length > 0 ? `${above > 0 || below > 0 ? '   ' : ''}${cursor + 1}/${runs.length}` : ''}
        {searching === undefined ? '' : `${runs.length > 0 ? ' so far   ' : ''}searching… ${Math.floor(searching * 100)}%`}
        {marked === null ? '' : `   ${ascii ? MARK_STYLE.asciiGlyph : MARK_STYLE.glyph} ${safeInline(marked)} marked`}
      </Text>
    </Box>
  );
}
