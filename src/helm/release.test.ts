import { describe, expect, it } from 'vitest';
import {
  type HelmRevision,
  type RecordedRelease,
  type ReleaseAction,
  type ReleaseState,
  classifyRelease,
  nextReleaseAction,
  upgradeArgs,
} from './release.ts';

const rev = (revision: number, status: string): HelmRevision => ({
  revision,
  status,
  chart: 'medusa-store-1.0.0',
  app_version: '2.0.0',
  updated: '2025-01-01T00:00:00Z',
});

const digest = 'sha256:aaaa';

describe('classifyRelease', () => {
  const cases: {
    name: string;
    history: HelmRevision[];
    recorded?: RecordedRelease;
    want: ReleaseState;
  }[] = [
    { name: 'no history', history: [], want: { kind: 'absent' } },
    {
      name: 'last revision uninstalled (kept history)',
      history: [rev(1, 'superseded'), rev(2, 'uninstalled')],
      want: { kind: 'absent' },
    },
    {
      name: 'first install still pending',
      history: [rev(1, 'pending-install')],
      want: { kind: 'locked', status: 'pending-install', revision: 1 },
    },
    {
      name: 'pending upgrade over a deployed revision, history out of order',
      history: [rev(3, 'pending-upgrade'), rev(1, 'superseded'), rev(2, 'deployed')],
      want: { kind: 'locked', status: 'pending-upgrade', revision: 3, lastDeployed: 2 },
    },
    {
      name: 'pending upgrade over a failed revision falls back to the last superseded one',
      history: [rev(1, 'superseded'), rev(2, 'failed'), rev(3, 'pending-upgrade')],
      want: { kind: 'locked', status: 'pending-upgrade', revision: 3, lastDeployed: 1 },
    },
    {
      name: 'pending rollback',
      history: [rev(1, 'deployed'), rev(2, 'pending-rollback')],
      want: { kind: 'locked', status: 'pending-rollback', revision: 2, lastDeployed: 1 },
    },
    {
      name: 'pending upgrade with nothing deployed before it',
      history: [rev(1, 'failed'), rev(2, 'pending-upgrade')],
      want: { kind: 'locked', status: 'pending-upgrade', revision: 2 },
    },
    {
      name: 'last revision failed',
      history: [rev(1, 'superseded'), rev(2, 'failed')],
      recorded: { revision: 1, configDigest: digest },
      want: { kind: 'failed', revision: 2 },
    },
    { name: 'being uninstalled', history: [rev(1, 'uninstalling')], want: { kind: 'uninstalling' } },
    {
      name: 'unexpected status',
      history: [rev(1, 'unknown')],
      want: { kind: 'out-of-sync', revision: 1, why: 'release status is unknown' },
    },
    {
      name: 'deployed but nothing recorded',
      history: [rev(1, 'deployed')],
      want: { kind: 'out-of-sync', revision: 1, why: 'the release was changed outside Storeplane' },
    },
    {
      name: 'deployed by someone else after our revision',
      history: [rev(1, 'superseded'), rev(2, 'deployed')],
      recorded: { revision: 1, configDigest: digest },
      want: { kind: 'out-of-sync', revision: 2, why: 'the release was changed outside Storeplane' },
    },
    {
      name: 'deployed by us with another config',
      history: [rev(1, 'deployed')],
      recorded: { revision: 1, configDigest: 'sha256:old' },
      want: { kind: 'out-of-sync', revision: 1, why: 'the store spec or chart changed' },
    },
    {
      name: 'deployed by us with the desired config',
      history: [rev(1, 'superseded'), rev(2, 'deployed')],
      recorded: { revision: 2, configDigest: digest },
      want: { kind: 'in-sync', revision: 2 },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(classifyRelease(tc.history, tc.recorded, digest)).toEqual(tc.want);
    });
  }

  it('does not reorder the history it is given', () => {
    const history = [rev(2, 'deployed'), rev(1, 'superseded')];
    classifyRelease(history, undefined, digest);
    expect(history.map((r) => r.revision)).toEqual([2, 1]);
  });
});

describe('nextReleaseAction', () => {
  const cases: { name: string; state: ReleaseState; want: ReleaseAction }[] = [
    { name: 'absent: install', state: { kind: 'absent' }, want: { kind: 'install' } },
    {
      name: 'pending-install: clear the install',
      state: { kind: 'locked', status: 'pending-install', revision: 1 },
      want: { kind: 'unlock-install', revision: 1 },
    },
    {
      name: 'pending-install even with an earlier deployed revision: clear the install',
      state: { kind: 'locked', status: 'pending-install', revision: 3, lastDeployed: 2 },
      want: { kind: 'unlock-install', revision: 3 },
    },
    {
      name: 'pending-upgrade over a deployed revision: roll back to it',
      state: { kind: 'locked', status: 'pending-upgrade', revision: 3, lastDeployed: 2 },
      want: { kind: 'unlock-upgrade', revision: 3, rollbackTo: 2 },
    },
    {
      name: 'pending-rollback over a deployed revision: roll back to it',
      state: { kind: 'locked', status: 'pending-rollback', revision: 4, lastDeployed: 1 },
      want: { kind: 'unlock-upgrade', revision: 4, rollbackTo: 1 },
    },
    {
      name: 'pending-upgrade with nothing to roll back to: clear like an install',
      state: { kind: 'locked', status: 'pending-upgrade', revision: 2 },
      want: { kind: 'unlock-install', revision: 2 },
    },
    {
      name: 'failed: retry with an upgrade, never a rollback',
      state: { kind: 'failed', revision: 5 },
      want: { kind: 'upgrade', reason: 'retrying failed revision 5' },
    },
    {
      name: 'uninstalling: wait',
      state: { kind: 'uninstalling' },
      want: { kind: 'wait', reason: 'the release is being uninstalled' },
    },
    {
      name: 'out of sync: upgrade with its reason',
      state: { kind: 'out-of-sync', revision: 1, why: 'the store spec or chart changed' },
      want: { kind: 'upgrade', reason: 'the store spec or chart changed' },
    },
    { name: 'in sync: nothing', state: { kind: 'in-sync', revision: 1 }, want: { kind: 'none' } },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(nextReleaseAction(tc.state)).toEqual(tc.want);
    });
  }
});

describe('upgradeArgs', () => {
  const base = {
    release: 'shop',
    namespace: 'store-shop',
    chart: '/charts/medusa-store',
    timeoutSeconds: 600,
  };
  const common = ['--reset-values', '--history-max', '5', '--timeout', '600s', '--output', 'json'];
  const cases: { name: string; input: Parameters<typeof upgradeArgs>[0]; want: string[] }[] = [
    {
      name: 'helm 3 without a version',
      input: { ...base, helmMajor: 3, storeUid: 'uid-1' },
      want: ['upgrade', '--install', 'shop', '/charts/medusa-store', '--namespace', 'store-shop', ...common],
    },
    {
      name: 'helm 3 with a version',
      input: { ...base, helmMajor: 3, version: '1.2.3' },
      want: [
        'upgrade',
        '--install',
        'shop',
        '/charts/medusa-store',
        '--namespace',
        'store-shop',
        '--version',
        '1.2.3',
        ...common,
      ],
    },
    {
      name: 'helm 4 adds server-side apply and the store uid label',
      input: { ...base, helmMajor: 4, storeUid: 'uid-1' },
      want: [
        'upgrade',
        '--install',
        'shop',
        '/charts/medusa-store',
        '--namespace',
        'store-shop',
        ...common,
        '--server-side=true',
        '--force-conflicts',
        '--labels',
        'storeplane.dev/store-uid=uid-1',
      ],
    },
    {
      name: 'helm 4 without a store uid has no --labels',
      input: { ...base, helmMajor: 4 },
      want: [
        'upgrade',
        '--install',
        'shop',
        '/charts/medusa-store',
        '--namespace',
        'store-shop',
        ...common,
        '--server-side=true',
        '--force-conflicts',
      ],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(upgradeArgs(tc.input)).toEqual(tc.want);
    });
  }

  it('never puts values on the command line', () => {
    for (const helmMajor of [3, 4]) {
      const args = upgradeArgs({ ...base, helmMajor, version: '1.0.0', storeUid: 'u' });
      expect(
        args.filter((a) => /^(--set|--set-string|--set-file|--set-json|-f|--values)(=|$)/.test(a)),
      ).toEqual([]);
    }
  });
});
