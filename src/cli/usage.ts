/**
 * `runlens --help`: the usage text. A module of its own because it names the TUI's help key from
 * the key table (keys.ts): main.ts loads it only for `--help`, so no other command pays for the
 * table at start.
 */
import {keyText} from '../keys.js';
import {SORT_KEYS} from '../model/listQuery.js';
import {DEFAULT_WATCH_SECONDS, EXIT_STUCK} from './args.js';

export const USAGE = `runlens — inspect and debug OpenAI Assistants runs (thread.run JSON) in the terminal

Usage
  runlens [SOURCE...]                 open the runs in the terminal UI
  runlens list [SOURCE...]            print the runs (a table; TSV when piped)
  runlens show RUN_ID [SOURCE...]     print every pane of one run, its conversation included
  runlens thread THREAD_ID [SOURCE...] print a thread's runs and messages in order (no SOURCE: from the API)
  runlens stuck [SOURCE...]           print runs waiting in requires_action (and stalled ones)
  runlens stats [SOURCE...]           print statistics: statuses, runs over time, queue and run time, tokens, errors, threads
  runlens submit RUN_ID --thread T --output CALL_ID=TEXT ... [--outputs-file FILE.json]
                                      submit tool outputs to a run in requires_action (one for every pending call)
  runlens submit RUN_ID --thread T --approve CALL_ID ... --deny CALL_ID ...
                                      answer the MCP tool approvals a run waits for (one for every pending call)
  runlens cancel RUN_ID --thread T    cancel a run
  runlens submit resp_ID --output CALL_ID=TEXT ...
                                      continue a waiting response (POST /responses with its function_call_outputs)
  runlens cancel resp_ID              cancel a background response
  runlens diff RUN_A RUN_B [SOURCE...]
                                      compare two runs: settings, instructions, tools, calls, usage and cost,
                                      timings, outcome (exit 0 same, 1 different, 2 trouble)
  runlens export RUN_ID [SOURCE...] [--format md|json] [-o FILE] [--thread T] [--redact] [--redact-keep FIELD]
                                      a run (or its whole thread) as a Markdown report or JSON, to share

Sources
  FILE       a run, an array of runs, a list envelope {"object":"list","data":[...]}, or JSON Lines
  FOLDER     every .json, .jsonl, .ndjson and .sse file below it
  TRANSCRIPT a saved server-sent-event stream (event: thread.run.* / data: {...}); latest state wins
  -          standard input (read when nothing else is given and input is piped)
  URL        http(s)://… returning JSON in any of the file shapes (--header adds request headers)
  --thread   runs of a thread from an OpenAI-compatible Assistants API (see API below)
  --project-endpoint URL --all-threads
             every thread of a Foundry Agent Service (classic) project (see Foundry below)

API (Azure OpenAI Assistants, self-hosted compatible servers)
  --thread ID            a thread to list runs of (repeatable; newest first, paginated to --limit, default 1000)
  --run RUN_ID           only this run (with --thread)
  --response ID          a Responses API response, its input items and its chain back (repeatable)
  --conversation ID      a conversation's items and the responses they name (repeatable)
  --all-responses        Foundry: the project's responses (GET …/openai/v1/responses, newest first, up to --limit)
  --agent NAME           with --all-responses: only that agent's responses
  --profile NAME         a saved connection (runlens profile add NAME --base-url URL --api-key-env VAR ...)
  --base-url URL         default: $OPENAI_BASE_URL, else the profile's, else https://api.openai.com/v1
  --api-key-env VAR      the environment variable that holds the key (default OPENAI_API_KEY)
  --org ID, --project ID OpenAI-Organization / OpenAI-Project headers
  --header "Name: value" an extra request header (repeatable; "Name: env:VAR" reads VAR)
  --azure-endpoint URL, --api-version V, --deployment NAME
                         Azure OpenAI (key in $AZURE_OPENAI_API_KEY unless --api-key-env)
  --timeout SECONDS, --max-retries N, --concurrency N

Foundry Agent Service (classic): Entra ID sign-in, no API key
  --project-endpoint URL https://<resource>.services.ai.azure.com/api/projects/<project>
                         (default: $AZURE_AI_PROJECT_ENDPOINT, else the profile's)
  --all-threads          list the project's threads (newest first, up to --limit) and read their runs
  --api-version V        sent on every request (default 2025-05-01)
  --credential cli|default
                         cli: the Azure CLI's sign-in (az login; the default); default: DefaultAzureCredential
                         (service principal in the environment, workload or managed identity)
  --token-env VAR        a bearer token in VAR instead of a credential
  --approve CALL_ID, --deny CALL_ID, --approval-header CALL_ID "Name: value"
                         submit: answer the MCP tool approvals of a run (repeatable)
  runlens profile add|list|show|remove|use …   saved connections (stores the variable name, never a key)
  runlens config path|list                      where settings live, and what they hold (masked)

Options
  --json                 print JSON (list, show, thread, stuck, stats)
  --status S[,S...]      only runs with these statuses
  --model M              only runs of this model
  --search TEXT          only runs whose id, model, thread, assistant, error, tools or metadata contain TEXT
  --model-map D=M        price deployment D as model M (Azure, Foundry); repeatable, or D=M,D2=M2
  --sort FIELD           ${SORT_KEYS.join(', ')} (default: created, newest first; list --json and
                         piped list print in the order read, as they stream, unless --sort is given)
  --reverse              reverse the sort order
  --limit N              at most N runs (list in the order read: stops reading after N matches)
  --older-than DURATION  stuck: only runs waiting at least this long (e.g. 90s, 10m, 2h)
  --include-stalled      stuck: also queued/in_progress/cancelling runs older than --older-than (default 10m)
  --exit-status          stuck: exit ${EXIT_STUCK} when any run is stuck
  --output CALL_ID=TEXT  submit: the output of one tool call (repeatable)
  --outputs-file FILE    submit: outputs from JSON, {"tool_outputs":[{"tool_call_id":…,"output":…}]} or {"CALL_ID":"TEXT"}
  --watch [SECONDS]      terminal UI: reload the sources every N seconds (default ${DEFAULT_WATCH_SECONDS}; the w key toggles it)
  --now TIME             start the clock at TIME (ISO date or Unix seconds) and let it run from there;
                         the header says so (npm start opens the examples as of their own time)
  --utc                  absolute times in UTC
  --no-color             no colour (also NO_COLOR=1)
  --ascii                ASCII symbols only
  --debug                on a failure, print the stack too (keys never shown)
  -h, --help             this help
  -v, --version          the version

Exit codes
  0 ok (an empty result too), 1 nothing loadable or run not found, 2 usage error,
  ${EXIT_STUCK} stuck runs found (stuck --exit-status)

Keys in the terminal UI: press ${keyText('help')} for all of them.`;
