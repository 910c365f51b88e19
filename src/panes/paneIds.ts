/** The detail panes of a run, in Tab order; `1`–`9` jump to the first nine, Tab and Shift-Tab reach every one. */
export const PANES = [
  {id: 'overview', title: 'Overview', short: 'Overview'},
  {id: 'action', title: 'Required action', short: 'Action'},
  {id: 'tools', title: 'Tools', short: 'Tools'},
  {id: 'usage', title: 'Usage', short: 'Usage'},
  {id: 'error', title: 'Last error', short: 'Error'},
  {id: 'instructions', title: 'Instructions', short: 'Instr'},
  {id: 'metadata', title: 'Metadata', short: 'Meta'},
  {id: 'raw', title: 'Raw JSON', short: 'Raw'},
  {id: 'steps', title: 'Steps', short: 'Steps'},
  {id: 'conversation', title: 'Conversation', short: 'Chat'},
] as const;

export type PaneId = (typeof PANES)[number]['id'];
