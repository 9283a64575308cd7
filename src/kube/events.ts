import { randomBytes } from 'node:crypto';
import type { CoreV1Api } from '@kubernetes/client-node';

export interface EventTarget {
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
  namespace?: string;
}

export type EventType = 'Normal' | 'Warning';

/**
 * Records Kubernetes Events (core/v1) so `kubectl describe` and `kubectl get events` show what
 * the operator did. Events of cluster-scoped objects live in `default`, as kubectl expects.
 * Never put a secret in a message.
 */
export class EventRecorder {
  constructor(
    private readonly core: CoreV1Api,
    private readonly component: string,
    private readonly instance: string,
  ) {}

  async record(target: EventTarget, type: EventType, reason: string, message: string): Promise<void> {
    const namespace = target.namespace ?? 'default';
    const now = new Date();
    await this.core
      .createNamespacedEvent({
        namespace,
        body: {
          metadata: {
            name: `${target.name}.${now.getTime().toString(16)}${randomBytes(2).toString('hex')}`,
            namespace,
          },
          involvedObject: {
            apiVersion: target.apiVersion,
            kind: target.kind,
            name: target.name,
            uid: target.uid,
            namespace: target.namespace,
          },
          type,
          reason,
          message: message.slice(0, 1024),
          source: { component: this.component },
          reportingComponent: this.component,
          reportingInstance: this.instance,
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        },
      })
      .catch(() => {
        // Events are best effort: a lost event must never fail a reconcile.
      });
  }
}
