import { setTimeout as sleep } from 'node:timers/promises';
import { type CoordinationV1Api, V1MicroTime, type V1Lease } from '@kubernetes/client-node';
import { isConflict, isNotFound } from '../kube/clients.ts';

export interface LeaderElectionConfig {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds: number;
  renewDeadlineSeconds: number;
  retryPeriodSeconds: number;
}

export const defaultLeaderElection = {
  leaseDurationSeconds: 15,
  renewDeadlineSeconds: 10,
  retryPeriodSeconds: 2,
};

export interface LeaderCallbacks {
  onStartedLeading: () => void;
  /** Called at once when the lease is lost or cannot be renewed within the renew deadline. */
  onStoppedLeading: () => void;
}

/** What the elector decides from the lease it sees; pure, so it is tested without a cluster. */
export function leaseDecision(
  lease: V1Lease | undefined,
  me: string,
  observed: { holder?: string; renewTime?: string; at: number } | undefined,
  now: number,
): 'create' | 'renew' | 'take-over' | 'wait' {
  if (!lease) return 'create';
  const holder = lease.spec?.holderIdentity ?? '';
  if (holder === me) return 'renew';
  if (!holder) return 'take-over';
  // Expiry is judged by our own clock since we last saw the lease change (no clock-skew trust),
  // with the holder's own lease duration.
  const duration = (lease.spec?.leaseDurationSeconds ?? 15) * 1000;
  const renew = lease.spec?.renewTime ? new Date(lease.spec.renewTime).toISOString() : undefined;
  const since = observed && observed.holder === holder && observed.renewTime === renew ? observed.at : now;
  return now - since > duration ? 'take-over' : 'wait';
}

/**
 * Lease-based leader election (coordination.k8s.io/v1), as client-go's: acquire or renew every
 * retry period; a leader that cannot renew within the renew deadline stops leading at once.
 */
export class LeaderElector {
  private leading = false;
  private stopped = false;
  private lastRenew = 0;
  private renewDeadline: NodeJS.Timeout | undefined;
  private observed: { holder?: string; renewTime?: string; at: number } | undefined;

  constructor(
    private readonly api: CoordinationV1Api,
    private readonly cfg: LeaderElectionConfig,
    private readonly callbacks: LeaderCallbacks,
  ) {}

  isLeader(): boolean {
    return this.leading;
  }

  /** When the lease we last renewed expires for the others (ms since the epoch), if we led. */
  leaseExpiresAt(): number | undefined {
    return this.lastRenew ? this.lastRenew + this.cfg.leaseDurationSeconds * 1000 : undefined;
  }

  async run(): Promise<void> {
    while (!this.stopped) {
      // The renewal counts from before the request: the lease may expire for the others from then.
      const sent = Date.now();
      const ok = await this.tryAcquireOrRenew().catch(() => false);
      const now = Date.now();
      if (ok) {
        this.lastRenew = sent;
        this.armRenewDeadline();
        if (!this.leading) {
          this.leading = true;
          this.callbacks.onStartedLeading();
        }
      } else if (this.leading && now - this.lastRenew > this.cfg.renewDeadlineSeconds * 1000) {
        this.stopLeading();
      }
      await sleep(this.cfg.retryPeriodSeconds * 1000);
    }
  }

  /**
   * A timer, not the next loop turn, ends leadership at the renew deadline: a renewal request
   * that hangs (a partition) must not keep us leading past the time a standby may take over.
   */
  private armRenewDeadline(): void {
    clearTimeout(this.renewDeadline);
    const left = this.lastRenew + this.cfg.renewDeadlineSeconds * 1000 - Date.now();
    this.renewDeadline = setTimeout(() => this.stopLeading(), Math.max(0, left));
    this.renewDeadline.unref();
  }

  /** Leadership lost: stop campaigning too (the process exits and starts over, as client-go's do). */
  private stopLeading(): void {
    clearTimeout(this.renewDeadline);
    if (!this.leading) return;
    this.stopped = true;
    this.leading = false;
    this.callbacks.onStoppedLeading();
  }

  /** Stop campaigning; a leader hands the lease back so a standby takes over at once. */
  async release(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.renewDeadline);
    if (!this.leading) return;
    this.leading = false;
    try {
      const lease = await this.api.readNamespacedLease({
        name: this.cfg.name,
        namespace: this.cfg.namespace,
      });
      if (lease.spec?.holderIdentity !== this.cfg.identity) return;
      lease.spec.holderIdentity = '';
      lease.spec.leaseDurationSeconds = 1;
      await this.api.replaceNamespacedLease({
        name: this.cfg.name,
        namespace: this.cfg.namespace,
        body: lease,
      });
    } catch {
      // The lease then simply expires.
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { name, namespace, identity, leaseDurationSeconds } = this.cfg;
    let lease: V1Lease | undefined;
    try {
      lease = await this.api.readNamespacedLease({ name, namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const now = Date.now();
    const decision = leaseDecision(lease, identity, this.observed, now);
    if (lease) {
      const renew = lease.spec?.renewTime ? new Date(lease.spec.renewTime).toISOString() : undefined;
      const holder = lease.spec?.holderIdentity;
      if (!this.observed || this.observed.holder !== holder || this.observed.renewTime !== renew) {
        this.observed = { holder, renewTime: renew, at: now };
      }
    }
    const stamp = new V1MicroTime();
    try {
      switch (decision) {
        case 'create':
          await this.api.createNamespacedLease({
            namespace,
            body: {
              metadata: { name, namespace },
              spec: {
                holderIdentity: identity,
                leaseDurationSeconds,
                acquireTime: stamp,
                renewTime: stamp,
                leaseTransitions: 0,
              },
            },
          });
          return true;
        case 'renew':
          if (!lease?.spec) return false;
          lease.spec.renewTime = stamp;
          lease.spec.leaseDurationSeconds = leaseDurationSeconds;
          await this.api.replaceNamespacedLease({ name, namespace, body: lease });
          return true;
        case 'take-over':
          if (!lease) return false;
          lease.spec = {
            ...lease.spec,
            holderIdentity: identity,
            leaseDurationSeconds,
            acquireTime: stamp,
            renewTime: stamp,
            leaseTransitions: (lease.spec?.leaseTransitions ?? 0) + 1,
          };
          await this.api.replaceNamespacedLease({ name, namespace, body: lease });
          return true;
        case 'wait':
          return false;
      }
    } catch (err) {
      // 409: someone else created or updated the lease first; look again next period.
      if (isConflict(err)) return false;
      throw err;
    }
  }
}
