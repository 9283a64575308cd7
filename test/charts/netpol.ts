/**
 * A small evaluator of Kubernetes NetworkPolicy semantics (networking.k8s.io/v1), enough to tell
 * which pod may open a TCP connection to which: pod and namespace selectors (matchLabels and
 * matchExpressions), ports, policy types, and the rule that a pod selected by any policy of a type
 * only gets what some such policy allows. The simulated cluster stores policies but enforces none,
 * so the chart tests ask this evaluator instead.
 */

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string };
}
interface Rule {
  ports?: { port?: number | string; protocol?: string }[];
  to?: Peer[];
  from?: Peer[];
  /** client-node's name for `from`. */
  _from?: Peer[];
}
export interface NetworkPolicy {
  metadata: { name?: string; namespace?: string };
  spec?: {
    podSelector?: LabelSelector;
    policyTypes?: string[];
    ingress?: Rule[];
    egress?: Rule[];
  };
}

export interface Endpoint {
  name: string;
  /** Undefined for something outside the cluster (the internet). */
  namespace?: string;
  labels: Record<string, string>;
}

export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key];
    const ok =
      e.operator === 'In'
        ? has && (e.values ?? []).includes(value ?? '')
        : e.operator === 'NotIn'
          ? !has || !(e.values ?? []).includes(value ?? '')
          : e.operator === 'Exists'
            ? has
            : !has;
    if (!ok) return false;
  }
  return true;
}

const nsLabels = (ns: string) => ({ 'kubernetes.io/metadata.name': ns });

function peerMatches(peers: Peer[] | undefined, target: Endpoint, policyNamespace: string): boolean {
  if (!peers || peers.length === 0) return true; // no peers: everything
  return peers.some((p) => {
    if (p.ipBlock) return target.namespace === undefined; // only ever outside the cluster here
    if (target.namespace === undefined) return false;
    if (p.namespaceSelector) {
      return (
        selects(p.namespaceSelector, nsLabels(target.namespace)) && selects(p.podSelector, target.labels)
      );
    }
    return target.namespace === policyNamespace && selects(p.podSelector, target.labels);
  });
}

function portMatches(ports: Rule['ports'], port: number): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => (p.protocol ?? 'TCP') === 'TCP' && (p.port === undefined || p.port === port));
}

function types(p: NetworkPolicy): string[] {
  return p.spec?.policyTypes ?? (p.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);
}

/** May `from` open a TCP connection to `to` on `port`? */
export function allowed(policies: NetworkPolicy[], from: Endpoint, to: Endpoint, port: number): boolean {
  const applying = (ep: Endpoint, type: string) =>
    ep.namespace === undefined
      ? []
      : policies.filter(
          (p) =>
            p.metadata.namespace === ep.namespace &&
            types(p).includes(type) &&
            selects(p.spec?.podSelector, ep.labels),
        );
  const egress = applying(from, 'Egress');
  const egressOk =
    egress.length === 0 ||
    egress.some((p) =>
      (p.spec?.egress ?? []).some(
        (r) => peerMatches(r.to, to, p.metadata.namespace ?? '') && portMatches(r.ports, port),
      ),
    );
  const ingress = applying(to, 'Ingress');
  const ingressOk =
    ingress.length === 0 ||
    ingress.some((p) =>
      (p.spec?.ingress ?? []).some(
        (r) => peerMatches(r.from ?? r._from, from, p.metadata.namespace ?? '') && portMatches(r.ports, port),
      ),
    );
  return egressOk && ingressOk;
}
