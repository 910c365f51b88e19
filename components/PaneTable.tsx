import {Table} from '@alcalzone/ink-table';
import {Text} from 'ink';
import type {ReactNode} from 'react';
import type {TableBlock} from '../src/panes/content.js';
import {tableData} from '../src/panes/scrollRows.js';

const ASCII_BOX: Record<string, string> = {'┌': '+', '┬': '+', '┐': '+', '├': '+', '┼': '+', '┤': '+', '└': '+', '┴': '+', '┘': '+', '─': '-', '│': '|'};

function asciiBox(children: ReactNode): ReactNode {
  return typeof children === 'string' ? children.replace(/[┌┬┐├┼┤└┴┘─│]/g, (char) => ASCII_BOX[char] ?? char) : children;
}

// ink-table's own header is blue and its frame bold; here the headings are strong, as a pane's headings are, and the frame plain.
function Heading({children}: {children?: ReactNode}) {
  return <Text bold>{children}</Text>;
}
function Frame({children}: {children?: ReactNode}) {
  return <Text>{children}</Text>;
}
function AsciiFrame({children}: {children?: ReactNode}) {
  return <Text>{asciiBox(children)}</Text>;
}

/**
 * A pane's table, drawn by ink-table: the one table renderer of the TUI (inside its own tree) and
 * of print mode (`runlens show` renders it to text once). Cells are made safe when the pane is built.
 */
export function PaneTable({block, ascii}: {block: TableBlock; ascii: boolean}) {
  return <Table data={tableData(block)} columns={block.columns} header={Heading} skeleton={ascii ? AsciiFrame : Frame} />;
}
