import type {ParsedItems} from '../../src/model/itemKinds.js';
import {JsonLinesReader} from '../../src/sources/parseRunText.js';

/** JSON Lines `text` through the reader the loaders use, as file `file`: its items kept small when `detach`, as the TUI's load keeps them. */
export function readJsonLines(text: string, file: string, detach: boolean): ParsedItems {
  const out: ParsedItems = {runs: [], warnings: []};
  const reader = new JsonLinesReader(file, out, detach);
  reader.push(Buffer.from(text, 'utf8'));
  reader.end();
  return out;
}
