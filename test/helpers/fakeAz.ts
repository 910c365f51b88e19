/**
 * A fake Azure CLI for tests: an `az` script in a temp folder to put first on PATH. It answers
 * `az account get-access-token` as the real one does (the JSON `AzureCliCredential` reads:
 * `accessToken`, `expiresOn` as a local time, `expires_on` as Unix seconds), numbering its tokens
 * `fake-entra-token-1`, `-2`, … and recording each call's arguments, so tests can tell how often
 * the credential ran it and with what. No network, no real Azure.
 */
import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

export interface FakeAz {
  /** The folder holding `az`. */
  dir: string;
  /** PATH with the folder first. */
  path: string;
  /** The arguments of each call, one string per call. */
  calls(): string[];
  /** The token the n-th call (1-based) printed. */
  token(n: number): string;
  /** Seconds each token lives (0: already expired, so every request fetches a new one). */
  setTtl(seconds: number): void;
  /** Answer as a CLI nobody signed in to does. */
  setSignedOut(signedOut: boolean): void;
}

const SCRIPT = `#!/bin/sh
dir="$(dirname "$0")"
echo "$*" >> "$dir/calls"
if [ -f "$dir/signed-out" ]; then
  echo "ERROR: Please run 'az login' to setup account." >&2
  exit 1
fi
n=$(wc -l < "$dir/calls" | tr -d ' ')
ttl=$(cat "$dir/ttl" 2>/dev/null || echo 3600)
exp=$(( $(date +%s) + ttl ))
printf '{"accessToken":"fake-entra-token-%s","expiresOn":"%s","expires_on":%s,"subscription":"00000000-0000-0000-0000-000000000000","tenant":"11111111-1111-1111-1111-111111111111","tokenType":"Bearer"}\\n' "$n" "$(date -d "@$exp" '+%Y-%m-%d %H:%M:%S.000000')" "$exp"
`;

export function makeFakeAz(): FakeAz {
  const dir = mkdtempSync(path.join(tmpdir(), 'runlens-fake-az-'));
  const file = path.join(dir, 'az');
  writeFileSync(file, SCRIPT);
  chmodSync(file, 0o755);
  const callsFile = path.join(dir, 'calls');
  return {
    dir,
    path: `${dir}${path.delimiter}${process.env['PATH'] ?? ''}`,
    calls: () => (existsSync(callsFile) ? readFileSync(callsFile, 'utf8').split('\n').filter(Boolean) : []),
    token: (n) => `fake-entra-token-${n}`,
    setTtl: (seconds) => writeFileSync(path.join(dir, 'ttl'), String(seconds)),
    setSignedOut: (signedOut) => {
      if (signedOut) writeFileSync(path.join(dir, 'signed-out'), '');
      else rmSync(path.join(dir, 'signed-out'), {force: true});
    },
  };
}
