import { describe, expect, it } from 'vitest';
import { describeRequest } from './describe-request.ts';

describe('describeRequest', () => {
  const cases: [string, string, ReturnType<typeof describeRequest>][] = [
    ['GET', '/api/v1/namespaces/store-x/pods', { verb: 'LIST', resource: 'pods', dryRun: false }],
    ['GET', '/api/v1/pods?watch=true', { verb: 'WATCH', resource: 'pods', dryRun: false }],
    ['GET', '/api/v1/namespaces/store-x', { verb: 'GET', resource: 'namespaces', dryRun: false }],
    [
      'PATCH',
      '/apis/apps/v1/namespaces/s/deployments/web?dryRun=All&force=true',
      { verb: 'PATCH', resource: 'deployments', dryRun: true },
    ],
    [
      'PUT',
      '/apis/storeplane.dev/v1alpha1/stores/shop/status',
      { verb: 'PUT', resource: 'stores/status', dryRun: false },
    ],
    ['POST', '/api/v1/namespaces/default/events', { verb: 'POST', resource: 'events', dryRun: false }],
  ];
  for (const [method, path, want] of cases)
    it(`${method} ${path}`, () => expect(describeRequest(method, new URL(`https://h${path}`))).toEqual(want));
});
