import {useCallback, useEffect, useRef, useState} from 'react';
import type {Line, PaneContent, TableBlock} from '../src/panes/content.js';
import {tableLines, type TableRenderer} from './paneLines.js';

const PENDING: Line[] = [[{text: '…', tone: 'dim'}]];

function keyOf(block: TableBlock, ascii: boolean): string {
  return `${ascii ? 'a' : 'u'}${JSON.stringify(block)}`;
}

/**
 * ink-table draws through `renderToString`, a React render of its own. Run inside the app's
 * render, it corrupts Ink's layout engine (Yoga reports "table index is out of bounds"), so the
 * tables of a pane are drawn just after the render and shown on the next one. Drawn tables are
 * kept by content, so the clock's tick (which rebuilds the pane) does not draw them again.
 */
export function useTableLines(content: PaneContent, ascii: boolean): TableRenderer {
  const cache = useRef(new Map<string, Line[]>());
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const missing = content.filter((block): block is TableBlock => block.kind === 'table' && !cache.current.has(keyOf(block, ascii)));
    if (missing.length === 0) return;
    const handle = setImmediate(() => {
      // Tables of runs no longer shown are not worth keeping.
      if (cache.current.size > 200) cache.current.clear();
      for (const block of missing) cache.current.set(keyOf(block, ascii), tableLines(block, ascii));
      setVersion((value) => value + 1);
    });
    return () => clearImmediate(handle);
  }, [content, ascii]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useCallback((block: TableBlock) => cache.current.get(keyOf(block, ascii)) ?? PENDING, [ascii, version]);
}
