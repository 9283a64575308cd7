import type { Container, K8sObject } from './charts.ts';

/**
 * Kubernetes's expansion of $(VAR) references in an env var's `value` (and in command and args),
 * as the kubelet does it: a port of k8s.io/kubernetes third_party/forked/golang/expansion/expand.go
 * (v1.34). `$$` is the escape for `$`; an undefined or unterminated reference stays as written.
 */
export function expandReferences(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') {
      out += '$';
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close < 0) {
        out += '$(';
      } else {
        const name = rest.slice(1, close);
        out += lookup(name) ?? `$(${name})`;
        advance = close + 1;
      }
    } else {
      out += `$${rest[0]}`;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/**
 * The environment a container's process sees, in declaration order: each `value` expanded over
 * the variables declared before it (as the kubelet does), ConfigMap keys looked up in the
 * rendered objects, other sources (Secrets, fields) as a placeholder naming the source.
 */
export function containerEnv(container: Container, objects: K8sObject[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const v of container.env ?? []) {
    let seen: string;
    const cm = v.valueFrom?.configMapKeyRef;
    if (v.value !== undefined && v.value !== '') {
      seen = expandReferences(v.value, (name) => env.get(name));
    } else if (cm) {
      const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === cm.name);
      seen = map?.data?.[cm.key] ?? `<missing configMap ${cm.name}/${cm.key}>`;
    } else if (v.valueFrom) {
      seen = `<${JSON.stringify(v.valueFrom)}>`;
    } else {
      seen = '';
    }
    env.set(v.name, seen);
  }
  return env;
}
