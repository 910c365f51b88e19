/**
 * The one place where a run's read notes (see ReadNoteKind: a status in another case, a time
 * written as text, PowerShell's names and cut fields) become warnings, for every kind of source:
 * documents and JSON Lines (collectRunItem) and stream transcripts alike. Each kind is said once
 * per source, with what runlens did about it.
 */
import type {LoadWarning} from '../model/loadWarning.js';
import {DEPTH_ADVICE} from '../model/powershell.js';
import type {ReadNoteKind, Run} from '../model/run.js';

/** Kinds of ReadNote already warned about, per collection of runs and source: each kind is said once per source. */
const SAID = new WeakMap<object, Set<string>>();

/** Which kind each note warning said, so a warning taken back (`unsay`) lets the kind be said again. */
const SAID_BY = new WeakMap<LoadWarning, string>();

/** What the warning adds to the first note of each kind. */
const NOTE_ADVICE: Record<ReadNoteKind, string> = {
  'status-case': 'a status in another case is read as the documented one',
  'iso-time': 'a time written as text is read as the time it names',
  'pascal-case': 'free-form objects (metadata, parameters) keep their keys',
  cut: DEPTH_ADVICE,
};

/** Which cut fields a warning names first: what a stuck run needs most. */
function cutRank(field: string): number {
  const rank = ['required_action', 'tools', 'last_error', 'usage', 'metadata'].findIndex((name) => field === name || field.startsWith(`${name}.`));
  return rank === -1 ? 5 : rank;
}

/**
 * The warnings for the run's ReadNotes at `where`: for the first run with each kind in `file`
 * only, among the runs collected into `collection` (a ParsedItems, whose warnings the caller adds them to).
 */
export function noteWarnings(run: Run, file: string, where: string, collection: object): LoadWarning[] {
  if (!run.notes) return [];
  let said = SAID.get(collection);
  if (!said) SAID.set(collection, (said = new Set()));
  const warnings: LoadWarning[] = [];
  for (const note of run.notes) {
    const key = `${note.kind}\u0000${file}`;
    if (said.has(key)) continue;
    said.add(key);
    // A depth-limited export cuts several fields of a run at once: name them all, the calls first.
    const cut = note.kind === 'cut' ? run.notes.filter((other) => other.kind === 'cut').sort((a, b) => cutRank(a.field) - cutRank(b.field)) : [];
    const message = cut.length > 1 ? `${cut.length} fields were cut short by the export (${cut.map((other) => other.field).join(', ')}); ${cut[0]!.message}` : note.message;
    const warning = {location: where, message: `${run.id}: ${message}; ${NOTE_ADVICE[note.kind]} (said once per source)`};
    SAID_BY.set(warning, key);
    warnings.push(warning);
  }
  return warnings;
}

/**
 * Takes back warnings dropped from `collection` before anyone saw them (a JSON Lines line read
 * again, see parseRunText.ts): the note kinds they said are said again by the next run that has them.
 */
export function unsay(collection: object, warnings: readonly LoadWarning[]): void {
  const said = SAID.get(collection);
  if (!said) return;
  for (const warning of warnings) {
    const key = SAID_BY.get(warning);
    if (key !== undefined) said.delete(key);
  }
}
