import { describe, expect, it } from 'vitest';
import { attemptKinds } from '../../store/schema.ts';
import { cancellation, cancelledReasons, deletionSeen } from './cancel.ts';

const store = (metadata: { uid?: string; deletionTimestamp?: string }) => ({
  metadata: { name: 'shop', ...metadata },
});

describe('deletionSeen', () => {
  it('carries on while the store is there and not being deleted', () => {
    expect(deletionSeen(store({ uid: 'u1' }), 'u1')).toBeUndefined();
    // Without UIDs to compare, the same name counts as the same store.
    expect(deletionSeen(store({}), 'u1')).toBeUndefined();
    expect(deletionSeen(store({ uid: 'u1' }), undefined)).toBeUndefined();
  });

  it('a deletionTimestamp means the store is being deleted', () => {
    expect(deletionSeen(store({ uid: 'u1', deletionTimestamp: '2026-01-01T00:00:00Z' }), 'u1')).toBe(
      'deleting',
    );
  });

  it('a store that is not there, or is another store of the same name, is gone', () => {
    expect(deletionSeen(undefined, 'u1')).toBe('gone');
    expect(deletionSeen(store({ uid: 'u2' }), 'u1')).toBe('gone');
    expect(deletionSeen(store({ uid: 'u2', deletionTimestamp: '2026-01-01T00:00:00Z' }), 'u1')).toBe('gone');
  });
});

describe('cancellation', () => {
  it('a provisioning stopped for a deletion is a Normal, named cancellation', () => {
    expect(cancellation('provision', 'install', 'deleting')).toEqual({
      reason: 'ProvisioningCancelled',
      message: 'Provisioning cancelled: the store is being deleted (helm install stopped with SIGTERM)',
    });
  });

  it('names the attempt that was stopped', () => {
    expect(cancellation('update', 'upgrade', 'deleting').message).toMatch(
      /^Update cancelled: the store is being deleted \(helm upgrade stopped with SIGTERM\)$/,
    );
    expect(cancellation('repair', 'upgrade', 'gone')).toEqual({
      reason: 'RepairCancelled',
      message: 'Repair cancelled: the store was deleted (helm upgrade stopped with SIGTERM)',
    });
  });

  it('without an attempt, an install is a provisioning and an upgrade an update', () => {
    expect(cancellation(undefined, 'install', 'deleting').reason).toBe('ProvisioningCancelled');
    expect(cancellation(undefined, 'upgrade', 'deleting').reason).toBe('UpdateCancelled');
  });

  it('every attempt kind has a reason Kubernetes accepts', () => {
    for (const kind of attemptKinds) expect(cancelledReasons[kind]).toMatch(/^[A-Z][A-Za-z]{1,127}$/);
  });
});
