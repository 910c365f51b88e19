/**
 * The tool output form (`o`): one output per tool call of a run in requires_action, typed or
 * edited as JSON in the external editor, then a review of the exact request, then one submit.
 * For a run waiting for MCP tool approvals (Foundry) the same form takes approve or deny per call.
 */
import {waitsForApproval, type RequiredToolCall, type Run, type RunKind} from '../model/run.js';
import {ActionError, checkApprovalsForRun, checkOutputsForRun, parseEditedOutputs, toolOutputsTemplate} from '../triage/toolOutputs.js';
import {continuingResponseBody, submitToolOutputsBody, type SubmitToolApprovalsBody, type SubmitToolOutputsBody} from '../triage/unstick.js';
import {actionKindOf, only, type Update} from './effects.js';
import {refusedInFlight, sendAction, type RunActionState} from './runActions.js';
import {SCROLL_START, type ScrollPosition} from './scroll.js';

/** The outputs being entered for a run in requires_action, one per tool call, and where the user is. */
export interface OutputForm {
  runId: string;
  threadId: string;
  /** `response` when the form answers a Responses API object (as `Run.kind`); the submit carries it. */
  runKind?: RunKind;
  /** The calls as the run asked for them when the form opened, in the run's order. */
  calls: readonly RequiredToolCall[];
  /** One output per call, as typed (or as the editor gave). */
  values: readonly string[];
  /** Index of the call being typed into. */
  focus: number;
  /** `edit`: typing into the form; `review`: the exact request, waiting for y. */
  stage: 'edit' | 'review';
  /** Why the editor's text was not taken (or the last check failed); shown above the form. */
  error: string | null;
  /** The editor's text that was not taken: the editor opens it again rather than a fresh template. */
  draft: string | null;
  /** The editor is open (the app is suspended on it). */
  editing: boolean;
  /** MCP calls waiting for approval: each value is `approve`, `deny` or '' (not answered yet). */
  approvals?: true;
}

/** What a key typed into an approval field answers. */
const APPROVAL_KEYS: Record<string, 'approve' | 'deny'> = {a: 'approve', y: 'approve', d: 'deny', n: 'deny'};

/** The first key of an answer, as the form's prose names it. */
const approvalKey = (answer: 'approve' | 'deny') => Object.keys(APPROVAL_KEYS).find((key) => APPROVAL_KEYS[key] === answer)!;

/** How the form's messages name the approval keys, read from the table above: `a (approve) or d (deny)`. */
const APPROVAL_KEYS_TEXT = `${approvalKey('approve')} (approve) or ${approvalKey('deny')} (deny)`;

/** What the form reads and changes: its own state, the runs (to check against), scrolling (the review scrolls), actions. */
export interface FormState extends ScrollPosition, RunActionState {
  runs: readonly Run[];
  /** The tool output form, while it is open. */
  outputForm: OutputForm | null;
}

/** What the form's keys and the editor's answers do. */
export type FormAction =
  | {type: 'nextCall'}
  | {type: 'previousCall'}
  | {type: 'nextCallOrReview'}
  | {type: 'reviewOutputs'}
  | {type: 'eraseOutput'}
  /** Text typed or pasted into the focused output. */
  | {type: 'typeOutput'; text: string}
  | {type: 'editOutputs'}
  | {type: 'cancelOutputs'}
  | {type: 'backToForm'}
  | {type: 'sendReviewed'}
  /** The editor saved this text (the form's JSON); `label` names the file in messages. */
  | {type: 'editorDone'; text: string; label: string}
  /** The editor could not run or was left without saving: a one-line reason. */
  | {type: 'editorFailed'; message: string};

/** The form for a run, or why the run takes no tool outputs. */
export function openOutputForm(run: Run): OutputForm | string {
  if (run.status === 'requires_action' && waitsForApproval(run) && run.threadId && (run.requiredAction?.toolCalls.length ?? 0) > 0) {
    const calls = run.requiredAction!.toolCalls;
    return {runId: run.id, threadId: run.threadId, calls, values: calls.map(() => ''), focus: 0, stage: 'edit', error: null, draft: null, editing: false, approvals: true};
  }
  // A waiting response takes the same outputs, sent as the input of the response that continues it.
  const takes = run.kind === 'response' ? continuingResponseBody(run) !== null : submitToolOutputsBody(run) !== null && run.threadId !== null;
  if (run.status !== 'requires_action' || !takes) {
    return `${run.id} is ${run.status}${run.status === 'requires_action' ? ' without tool calls' : ''}: only a run in requires_action takes tool outputs`;
  }
  const calls = run.requiredAction!.toolCalls;
  return {runId: run.id, threadId: run.threadId ?? '', ...actionKindOf(run.kind), calls, values: calls.map(() => ''), focus: 0, stage: 'edit', error: null, draft: null, editing: false};
}

/** The request body the output form would send, in the run's order of calls. */
export function outputFormBody(form: OutputForm): SubmitToolOutputsBody {
  return {tool_outputs: form.calls.map((call, index) => ({tool_call_id: call.id, output: form.values[index] ?? ''}))};
}

/** The approvals the form would send (an unanswered call is left out, so the check names it). */
export function approvalFormBody(form: OutputForm): SubmitToolApprovalsBody {
  return {
    tool_approvals: form.calls.flatMap((call, index) => (form.values[index] === 'approve' || form.values[index] === 'deny' ? [{tool_call_id: call.id, approve: form.values[index] === 'approve'}] : [])),
  };
}

/** The body the review shows and `y` sends: outputs, or approvals. */
export function formBody(form: OutputForm): SubmitToolOutputsBody | SubmitToolApprovalsBody {
  return form.approvals ? approvalFormBody(form) : outputFormBody(form);
}

function withForm<S extends FormState>(state: S, change: Partial<OutputForm>): S {
  return {...state, outputForm: {...state.outputForm!, ...change}};
}

/** The review replaces the form; it scrolls like a pane. */
function toReview<S extends FormState>(state: S, change: Partial<OutputForm> = {}): S {
  return withForm({...state, ...SCROLL_START}, {...change, stage: 'review', error: null});
}

/**
 * The input is one line: line breaks and tabs in pasted text become spaces, other control
 * characters are dropped (an output can still hold any text through the editor).
 */
function typeOutput<S extends FormState>(state: S, form: OutputForm, text: string): S {
  if (form.approvals) {
    const answer = APPROVAL_KEYS[text.trim().toLowerCase().slice(-1)];
    if (!answer) return withForm(state, {error: `press ${APPROVAL_KEYS_TEXT} for each call`});
    return withForm(state, {values: form.values.map((value, index) => (index === form.focus ? answer : value)), error: null});
  }
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\r\n|[\r\n\t]/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
  if (clean === '') return state;
  return withForm(state, {values: form.values.map((value, index) => (index === form.focus ? value + clean : value))});
}

/** `y` on the review: the outputs checked against the run as it is now, then sent once. */
function sendReviewed<S extends FormState>(state: S, form: OutputForm): Update<S> {
  if (state.actionInFlight) return only({...state, flash: refusedInFlight(state.actionInFlight)});
  const run = state.runs.find((candidate) => candidate.id === form.runId);
  let body: SubmitToolOutputsBody | SubmitToolApprovalsBody;
  try {
    if (!run) throw new ActionError(`run ${form.runId} is no longer loaded; nothing submitted`);
    // A watch refresh may have brought a newer state (expired, cancelled): refused here, not by the server.
    body = form.approvals
      ? {tool_approvals: checkApprovalsForRun(run, approvalFormBody(form).tool_approvals, `press ${approvalKey('approve')} or ${approvalKey('deny')} on each call`)}
      : {tool_outputs: checkOutputsForRun(run, outputFormBody(form).tool_outputs, 'every call has a field in the form')};
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    return only(withForm(state, {stage: 'edit', error: error.message}));
  }
  const count = 'tool_approvals' in body ? body.tool_approvals.length : body.tool_outputs.length;
  const what = 'tool_approvals' in body ? `tool approval${count === 1 ? '' : 's'}` : `tool output${count === 1 ? '' : 's'}`;
  return sendAction({...state, outputForm: null}, {kind: 'submit', runId: form.runId, threadId: form.threadId, ...actionKindOf(form.runKind), body}, `Submitting ${count} ${what} to ${form.runId}…`);
}

/** The editor's text, parsed and checked against the run as it is now: on to the review, or back to the form saying why. */
function editorDone<S extends FormState>(state: S, form: OutputForm, text: string, label: string): S {
  const run = state.runs.find((candidate) => candidate.id === form.runId);
  try {
    if (!run) throw new ActionError(`run ${form.runId} is no longer loaded`);
    const outputs = parseEditedOutputs(text, label, run);
    const byId = new Map(outputs.map((output) => [output.tool_call_id, output.output]));
    return toReview(state, {values: form.calls.map((call) => byId.get(call.id) ?? ''), draft: null, editing: false});
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    return withForm(state, {stage: 'edit', error: error.message, draft: text, editing: false});
  }
}

/** The form's reducer: the editor to open and the submit to send come back as effects. */
export function formReducer<S extends FormState>(state: S, action: FormAction): Update<S> {
  const form = state.outputForm;
  if (!form) return only(state);
  const last = form.calls.length - 1;
  switch (action.type) {
    case 'nextCall':
      return only(withForm(state, {focus: form.focus >= last ? 0 : form.focus + 1}));
    case 'previousCall':
      return only(withForm(state, {focus: form.focus <= 0 ? last : form.focus - 1}));
    case 'nextCallOrReview':
      return only(form.focus < last ? withForm(state, {focus: form.focus + 1}) : toReview(state));
    case 'reviewOutputs':
      return only(toReview(state));
    case 'eraseOutput':
      return only(withForm(state, {values: form.values.map((value, index) => (index === form.focus ? Array.from(value).slice(0, -1).join('') : value))}));
    case 'typeOutput':
      return only(typeOutput(state, form, action.text));
    case 'editOutputs': {
      if (form.approvals) return only(withForm(state, {error: `approvals take no editor: press ${APPROVAL_KEYS_TEXT} on each call`}));
      const text = form.draft ?? toolOutputsTemplate(form.calls.map((call) => call.id), form.values);
      return {state: withForm(state, {editing: true}), effects: [{type: 'openEditor', text, name: `runlens-outputs-${form.runId}`}]};
    }
    case 'cancelOutputs':
      return only({...state, outputForm: null, flash: 'Nothing sent.'});
    case 'backToForm':
      return only(withForm(state, {stage: 'edit'}));
    case 'sendReviewed':
      return sendReviewed(state, form);
    case 'editorDone':
      return only(editorDone(state, form, action.text, action.label));
    case 'editorFailed':
      return only(withForm(state, {error: action.message, editing: false}));
  }
}
