import { describe, expect, it } from 'vitest';
import type { StoredRevision } from '../../helm/storage.ts';
import { classifyRelease, nextReleaseAction, type ReleaseState } from './state.ts';

const rev = (revision: number, status: string, configDigest?: string): StoredRevision => ({
  revision,
  status,
  ...(configDigest ? { configDigest } : {}),
  secretName: `sh.helm.release.v1.shop.v${revision}`,
});

describe('classifyRelease', () => {
  const cases: {
    name: string;
    revisions: StoredRevision[];
    recorded?: number;
    driftUnrepaired?: boolean;
    want: ReleaseState;
  }[] = [
    { name: 'never installed', revisions: [], want: { kind: 'absent' } },
    {
      name: 'uninstalled with history kept',
      revisions: [rev(2, 'uninstalled', 'sha256:a')],
      want: { kind: 'absent' },
    },
    {
      name: 'deployed for the wanted digest, our own revision',
      revisions: [rev(1, 'superseded', 'sha256:o'), rev(2, 'deployed', 'sha256:a')],
      recorded: 2,
      want: { kind: 'in-sync', revision: 2 },
    },
    {
      name: 'deployed for the wanted digest, no record yet (status lost in a crash)',
      revisions: [rev(1, 'deployed', 'sha256:a')],
      want: { kind: 'in-sync', revision: 1 },
    },
    {
      // The fault: a failed upgrade must never leave the old revision looking current.
      name: 'a failed newest revision is failed, whatever our record says',
      revisions: [rev(1, 'deployed', 'sha256:o'), rev(2, 'failed', 'sha256:a')],
      recorded: 2,
      want: { kind: 'failed', revision: 2 },
    },
    {
      name: 'deployed for another digest (Helm refused the new values before writing a revision)',
      revisions: [rev(1, 'deployed', 'sha256:o')],
      recorded: 1,
      want: {
        kind: 'out-of-sync',
        revision: 1,
        why: 'the configuration changed (store spec, engine chart or platform values)',
      },
    },
    {
      name: 'a deployed revision newer than ours was made by hand (it keeps our labels)',
      revisions: [rev(1, 'superseded', 'sha256:a'), rev(2, 'deployed', 'sha256:a')],
      recorded: 1,
      want: { kind: 'out-of-sync', revision: 2, why: 'a revision was made outside Storeplane' },
    },
    {
      name: 'deployed without our label',
      revisions: [rev(1, 'deployed')],
      want: { kind: 'out-of-sync', revision: 1, why: 'revision was not made by Storeplane' },
    },
    ...['pending-install', 'pending-upgrade', 'pending-rollback', 'uninstalling'].map((status) => ({
      name: `left ${status} by a dead helm`,
      revisions: [rev(1, 'deployed', 'sha256:a'), rev(2, status, 'sha256:a')],
      want: { kind: 'locked', status, revision: 2 } as ReleaseState,
    })),
    {
      // A repair that failed before Helm wrote a revision: its takeover already hid the foreign
      // fields from the drift check, so the record must say the repair is still owed.
      name: 'in sync, with drift found on it and no repairing revision since',
      revisions: [rev(2, 'deployed', 'sha256:a')],
      recorded: 2,
      driftUnrepaired: true,
      want: { kind: 'drifted', revision: 2 },
    },
    {
      name: 'drift owed, but the configuration changed too: the upgrade comes first',
      revisions: [rev(2, 'deployed', 'sha256:o')],
      recorded: 2,
      driftUnrepaired: true,
      want: {
        kind: 'out-of-sync',
        revision: 2,
        why: 'the configuration changed (store spec, engine chart or platform values)',
      },
    },
    {
      name: 'drift owed, but the repair left a failed revision: retried as a failure',
      revisions: [rev(2, 'deployed', 'sha256:a'), rev(3, 'failed', 'sha256:a')],
      recorded: 2,
      driftUnrepaired: true,
      want: { kind: 'failed', revision: 3 },
    },
    {
      name: 'order of the list does not matter',
      revisions: [
        rev(3, 'deployed', 'sha256:a'),
        rev(1, 'superseded', 'sha256:a'),
        rev(2, 'superseded', 'sha256:a'),
      ].reverse(),
      recorded: 3,
      want: { kind: 'in-sync', revision: 3 },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(
        classifyRelease(
          tc.revisions,
          tc.recorded ? { revision: tc.recorded, driftUnrepaired: tc.driftUnrepaired } : undefined,
          'sha256:a',
        ),
      ).toEqual(tc.want);
    });
  }
});

describe('nextReleaseAction', () => {
  it('installs what is absent, upgrades what is failed or out of sync, unlocks what is locked', () => {
    expect(nextReleaseAction({ kind: 'absent' })).toEqual({ kind: 'install' });
    expect(nextReleaseAction({ kind: 'failed', revision: 3 })).toEqual({
      kind: 'upgrade',
      reason: 'retrying failed revision 3',
    });
    expect(nextReleaseAction({ kind: 'out-of-sync', revision: 3, why: 'x' })).toEqual({
      kind: 'upgrade',
      reason: 'x',
    });
    expect(nextReleaseAction({ kind: 'locked', status: 'pending-install', revision: 1 })).toEqual({
      kind: 'unlock',
      revision: 1,
      status: 'pending-install',
    });
    expect(nextReleaseAction({ kind: 'drifted', revision: 3 })).toEqual({
      kind: 'repair-drift',
      revision: 3,
    });
    expect(nextReleaseAction({ kind: 'in-sync', revision: 3 })).toEqual({ kind: 'none' });
  });
});
