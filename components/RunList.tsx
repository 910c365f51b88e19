import {Box, Text} from 'ink';
import {memo, useMemo} from 'react';
import {NO_MODEL_MAP, type ModelMap} from '../src/model/cost.js';
import {cellFor, COLUMN_GAP, fitCell, layoutColumns, type ColumnKey, type ColumnView, type LaidOutColumn} from '../src/format/runColumns.js';
import type {Run} from '../src/model/run.js';
import {MARK_STYLE} from '../src/format/theme.js';
import {safeInline} from '../src/format/sanitize.js';
import {useDisplay} from './DisplayContext.js';
import {inkStyled} from './inkStyle.js';
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
  /** Widest values per column (see measureContent), measured by the store for the runs each piece of a load adds. */
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

/** Whether and how a row shows the compare mark: no mark column, this run marked, or another one. */
type RowMark = 'marked' | 'unmarked' | 'none';

/** What a row's text is drawn with, besides its run: one object per layout, clock and display. */
interface RowLayout {
  columns: readonly LaidOutColumn[];
  nowSeconds: number;
  ascii: boolean;
  color: boolean;
  modelMap: ModelMap;
}

/**
 * A row's text, every cell styled as a `<Text>` of its tone would style it (inkStyle.ts): the row
 * is one text for Ink to lay out and draw, where a `<Text>` per cell made ten nodes, each squashed
 * and coloured again on every frame.
 */
export function runRowText(run: Run, layout: RowLayout, rounds: number, mark: RowMark): string {
  const {columns, nowSeconds, ascii, color, modelMap} = layout;
  let text = mark === 'none' ? '' : inkStyled(mark === 'marked' ? `${ascii ? MARK_STYLE.asciiGlyph : MARK_STYLE.glyph} ` : ' '.repeat(MARK_COLUMN), toneProps(MARK_STYLE.tone, color));
  columns.forEach((column, index) => {
    const cell = cellFor(run, column.key, nowSeconds, ascii, rounds, modelMap);
    text += inkStyled((index > 0 ? gap : '') + fitCell(cell.text, column.size, column.align, ascii), toneProps(cell.tone, color));
  });
  return text;
}

/** Rows' texts kept per run while the layout stays (a page moved back to, a run under the cursor again). */
const ROW_TEXTS_KEPT = 2048;

/** The text of each run's row for one layout, made once: a key moves the window, the rows' texts stay. */
class RowTexts {
  private readonly texts = new Map<Run, {rounds: number; mark: RowMark; text: string}>();
  constructor(readonly layout: RowLayout) {}

  get(run: Run, rounds: number, mark: RowMark): string {
    const kept = this.texts.get(run);
    if (kept && kept.rounds === rounds && kept.mark === mark) return kept.text;
    // Bounded: paging through a million runs must not keep a million strings.
    if (this.texts.size >= ROW_TEXTS_KEPT) this.texts.clear();
    const text = runRowText(run, this.layout, rounds, mark);
    this.texts.set(run, {rounds, mark, text});
    return text;
  }
}

/** One row: its text (runRowText) and whether it is selected. Primitive props, so a row that stays draws nothing new. */
const RunRow = memo(function RunRow({text, selected}: {text: string; selected: boolean}) {
  return (
    <Text wrap="truncate-end" inverse={selected}>
      {text}
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
  const {ascii, color} = useDisplay();
  const columns = useMemo(() => layoutColumns(width - markWidth, contentWidths, view), [width, markWidth, contentWidths, view]);
  const texts = useMemo(() => new RowTexts({columns, nowSeconds, ascii, color, modelMap}), [columns, nowSeconds, ascii, color, modelMap]);
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
        // Keyed by place, not by run: a page down gives the same thirty nodes new texts instead of
        // unmounting them and laying out thirty new ones (PgDn at 100,000 runs 5.4 → 4.3 ms CPU).
        <RunRow key={index} text={texts.get(run, rounds?.get(run.id) ?? 0, marked === null ? 'none' : run.id === marked ? 'marked' : 'unmarked')} selected={offset + index === cursor} />
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
