/** What a failed helm command means, read from its stderr (helm always exits 1 on failure). */
export type HelmErrorKind =
  | 'release-not-found'
  | 'pending'
  | 'timeout'
  | 'quota'
  | 'immutable'
  | 'forbidden'
  | 'chart-not-found'
  | 'invalid-values'
  | 'conflict'
  | 'unreachable'
  | 'no-deployed-release'
  | 'unknown';

export interface HelmError {
  kind: HelmErrorKind;
  /**
   * Helm's whole reason on one line, from its `Error:` line on (helm never prints values on
   * error; its warnings are left out). A schema refusal keeps the part naming the value.
   */
  message: string;
}

const rules: [HelmErrorKind, RegExp][] = [
  ['release-not-found', /release: not found|Error: release: not found/i],
  ['pending', /another operation \(install\/upgrade\/rollback\) is in progress/i],
  ['no-deployed-release', /has no deployed releases/i],
  ['timeout', /context deadline exceeded|timed out waiting|timeout waiting/i],
  ['quota', /exceeded quota|forbidden: exceeded/i],
  // An immutable field is refused with "Forbidden" too, but no permission is missing.
  [
    'immutable',
    /field is immutable|Forbidden: updates to (statefulset|persistentvolumeclaim) spec|spec is immutable|may not be changed|cannot be changed/i,
  ],
  ['forbidden', /is forbidden: User "[^"]*" cannot|is forbidden|unauthorized/i],
  ['chart-not-found', /path .* not found|chart .* not found|no such file or directory|failed to download/i],
  [
    'invalid-values',
    /values don't meet the specifications of the schema|values\.schema\.json|error validating|parse error|YAML parse error|field not declared in schema|strict decoding error|unknown field/i,
  ],
  ['conflict', /conflict|already exists|cannot re-?use a name/i],
  [
    'unreachable',
    /connection refused|no such host|Kubernetes cluster unreachable|i\/o timeout|TLS handshake/i,
  ],
];

const noise = /^(WARNING|walk\.go|level=WARN)/i;

/** client-go's klog header: severity, MMDD, time, thread id, file:line]. */
const klogLine = /^([IWEF])\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [\w.-]+:\d+\] /;

/**
 * Helm 4 waits through client-go, which logs its own transport events (a watch it cancelled
 * itself, a retry) to stderr. They are neither helm's reason nor its warnings.
 */
export function withoutClientGoLog(
  stderr: string,
  severities = 'IWEF',
): { text: string; clientGo: string[] } {
  const clientGo: string[] = [];
  const kept = stderr.split('\n').filter((line) => {
    const m = klogLine.exec(line);
    if (m && severities.includes(m[1]!)) {
      clientGo.push(line);
      return false;
    }
    return true;
  });
  return { text: kept.join('\n'), clientGo };
}

export function classifyHelmError(raw: string, maxLength = 1500): HelmError {
  const stderr = withoutClientGoLog(raw).text;
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !noise.test(l));
  const start = lines.findIndex((l) => l.startsWith('Error:'));
  const reason = start === -1 ? lines.slice(-3) : lines.slice(start);
  const message =
    reason
      .map((l, i) => (i === 0 ? l.replace(/^Error:\s*/, '') : l.replace(/^[*-]\s*/, '')))
      .join(' ')
      .replace(/:\s*(\d+ errors? occurred:)\s*/, ': $1 ')
      .slice(0, maxLength) || 'helm failed without output';
  for (const [kind, pattern] of rules) if (pattern.test(stderr)) return { kind, message };
  return { kind: 'unknown', message };
}
