/** What a failed helm command means, read from its stderr (helm always exits 1 on failure). */
export type HelmErrorKind =
  | 'release-not-found'
  | 'pending'
  | 'timeout'
  | 'quota'
  | 'forbidden'
  | 'chart-not-found'
  | 'invalid-values'
  | 'conflict'
  | 'unreachable'
  | 'no-deployed-release'
  | 'unknown';

export interface HelmError {
  kind: HelmErrorKind;
  /** The first meaningful line, without secrets (helm does not print values on error). */
  message: string;
}

const rules: [HelmErrorKind, RegExp][] = [
  ['release-not-found', /release: not found|Error: release: not found/i],
  ['pending', /another operation \(install\/upgrade\/rollback\) is in progress/i],
  ['no-deployed-release', /has no deployed releases/i],
  ['timeout', /context deadline exceeded|timed out waiting|timeout waiting/i],
  ['quota', /exceeded quota|forbidden: exceeded/i],
  ['forbidden', /is forbidden|forbidden:|unauthorized/i],
  ['chart-not-found', /path .* not found|chart .* not found|no such file or directory|failed to download/i],
  [
    'invalid-values',
    /values don't meet the specifications of the schema|values\.schema\.json|error validating|parse error|YAML parse error/i,
  ],
  ['conflict', /conflict|already exists|cannot re-?use a name/i],
  [
    'unreachable',
    /connection refused|no such host|Kubernetes cluster unreachable|i\/o timeout|TLS handshake/i,
  ],
];

export function classifyHelmError(stderr: string): HelmError {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(WARNING|walk\.go|level=WARN)/i.test(l));
  const errorLine =
    lines.find((l) => l.startsWith('Error:')) ?? lines[lines.length - 1] ?? 'helm failed without output';
  const message = errorLine.replace(/^Error:\s*/, '').slice(0, 1000);
  for (const [kind, pattern] of rules) if (pattern.test(stderr)) return { kind, message };
  return { kind: 'unknown', message };
}
