import { describe, expect, it } from 'vitest';
import { type ClusterChoice, type ContextProbe, chooseCluster } from './context.ts';

describe('chooseCluster', () => {
  const cases: {
    name: string;
    probe: ContextProbe;
    forceDev?: boolean;
    want: ClusterChoice['use'];
    says?: string;
  }[] = [
    {
      name: 'no kubeconfig at all',
      probe: { explicit: false, error: 'no current context' },
      want: 'dev-cluster',
    },
    {
      name: 'default kubeconfig whose context answers',
      probe: { explicit: false, context: 'kind', server: 'https://127.0.0.1:6443', version: 'v1.33.1' },
      want: 'context',
    },
    {
      name: 'default kubeconfig whose context is down',
      probe: { explicit: false, context: 'kind', server: 'https://127.0.0.1:6443', error: 'ECONNREFUSED' },
      want: 'dev-cluster',
      says: 'kube context "kind" did not answer (ECONNREFUSED)',
    },
    {
      name: 'explicit KUBECONFIG that answers',
      probe: { explicit: true, context: 'prod', server: 'https://k.example', version: 'v1.34.2' },
      want: 'context',
    },
    {
      name: 'explicit KUBECONFIG that is down is refused, not replaced',
      probe: { explicit: true, context: 'prod', server: 'https://k.example', error: 'timeout' },
      want: 'none',
      says: 'KUBECONFIG is set but context "prod" (https://k.example) is not reachable: timeout',
    },
    {
      name: 'explicit KUBECONFIG without a current context',
      probe: { explicit: true, error: 'no current context' },
      want: 'none',
      says: 'no current context is not reachable',
    },
    {
      name: '--dev-cluster wins over a working context',
      probe: { explicit: true, context: 'prod', server: 'https://k.example', version: 'v1.34.2' },
      forceDev: true,
      want: 'dev-cluster',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const choice = chooseCluster(tc.probe, tc.forceDev);
      expect(choice.use).toBe(tc.want);
      if (tc.says)
        expect(
          choice.use === 'none' ? choice.error : choice.use === 'dev-cluster' ? choice.note : '',
        ).toContain(tc.says);
    });
  }
});
