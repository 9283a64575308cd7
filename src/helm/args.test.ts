import { describe, expect, it } from 'vitest';
import { digestLabel, uninstallArgs, upgradeArgs } from './args.ts';

describe('upgradeArgs', () => {
  const base = {
    release: 'shop',
    namespace: 'store-shop',
    chart: '/charts/medusa-store',
    timeoutSeconds: 600,
    configDigest: 'sha256:0123456789abcdef0123456789abcdef',
    description: 'Storeplane upgrade: the plan changed',
  };
  const head = ['upgrade', '--install', 'shop', '/charts/medusa-store', '--namespace', 'store-shop'];
  const common = ['--reset-values', '--history-max', '5', '--timeout', '600s', '--output', 'json'];
  const labelled = (labels: string) => ['--labels', labels, '--description', base.description];
  const cases: { name: string; input: Parameters<typeof upgradeArgs>[0]; want: string[] }[] = [
    {
      name: 'helm 3: client-side apply, the release labelled with its config digest and store',
      input: { ...base, helmMajor: 3, storeUid: 'uid-1' },
      want: [
        ...head,
        ...common,
        ...labelled(
          'storeplane.dev/config-digest=0123456789abcdef0123456789abcdef,storeplane.dev/store-uid=uid-1',
        ),
      ],
    },
    {
      name: 'helm 4 adds server-side apply that takes conflicting fields back, validated by the server',
      input: { ...base, helmMajor: 4, storeUid: 'uid-1' },
      want: [
        ...head,
        ...common,
        ...labelled(
          'storeplane.dev/config-digest=0123456789abcdef0123456789abcdef,storeplane.dev/store-uid=uid-1',
        ),
        '--server-side=true',
        '--force-conflicts',
        '--disable-openapi-validation',
      ],
    },
    {
      name: 'without a store uid only the digest is a label',
      input: { ...base, helmMajor: 4 },
      want: [
        ...head,
        ...common,
        ...labelled('storeplane.dev/config-digest=0123456789abcdef0123456789abcdef'),
        '--server-side=true',
        '--force-conflicts',
        '--disable-openapi-validation',
      ],
    },
  ];
  for (const tc of cases) it(tc.name, () => expect(upgradeArgs(tc.input)).toEqual(tc.want));

  it('never puts values on the command line', () => {
    for (const helmMajor of [3, 4]) {
      const args = upgradeArgs({ ...base, helmMajor, storeUid: 'u' });
      expect(
        args.filter((a) => /^(--set|--set-string|--set-file|--set-json|-f|--values)(=|$)/.test(a)),
      ).toEqual([]);
    }
  });

  it('makes a label value of a digest', () => {
    expect(digestLabel('sha256:abc')).toBe('abc');
    expect(digestLabel(`sha256:${'a'.repeat(80)}`)).toHaveLength(63);
  });

  it('uninstalls and waits', () => {
    expect(uninstallArgs('shop', 'store-shop', 90)).toEqual([
      'uninstall',
      'shop',
      '--namespace',
      'store-shop',
      '--wait',
      '--timeout',
      '90s',
    ]);
  });
});
