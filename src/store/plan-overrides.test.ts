import { describe, expect, it } from 'vitest';
import { mergePlanOverrides } from './plan-overrides.ts';
import { defaultPlans } from './plans.ts';

describe('mergePlanOverrides', () => {
  it('merges a plan quota and container max over the defaults, leaving the rest', () => {
    const plans = mergePlanOverrides(
      'small:\n  quota:\n    requests.cpu: 150m\n  containerMax:\n    memory: 1Gi\n',
    );
    expect(plans.small.quota['requests.cpu']).toBe('150m');
    expect(plans.small.quota.pods).toBe(defaultPlans.small.quota.pods);
    expect(plans.small.containerMax.memory).toBe('1Gi');
    expect(plans.medium).toEqual(defaultPlans.medium);
  });

  it.each([
    ['requests.ephemeral-storage', "'0'"],
    ['limits.ephemeral-storage', '2Gi'],
    ['count/jobs.batch', '3'],
    ['secrets', '20'],
    ['fast-ssd.storageclass.storage.k8s.io/requests.storage', '0'],
  ])('a quota may add %s', (key, value) => {
    const plans = mergePlanOverrides(`small:\n  quota:\n    ${key}: ${value}\n`);
    expect(plans.small.quota[key]).toBe(String(value).replaceAll("'", ''));
    expect(defaultPlans.small.quota[key]).toBeUndefined(); // the defaults are not changed
  });

  it.each([
    ['unknown plan', 'huge:\n  quota:\n    pods: 3\n', /unknown plan "huge"/],
    [
      'unknown quota resource',
      'small:\n  quota:\n    requests.gpu-ish: 1\n',
      /unknown key small\.quota\.requests\.gpu-ish/,
    ],
    [
      'a quota key elsewhere',
      'small:\n  containerMax:\n    count/jobs.batch: 1\n',
      /unknown key small\.containerMax/,
    ],
    ['unknown top key', 'small:\n  budget: 3\n', /unknown key small\.budget/],
    ['not a quantity', 'small:\n  quota:\n    pods: lots\n', /small\.quota\.pods is not a quantity/],
    ['not a mapping', 'small: 3\n', /small must be a mapping/],
    ['a list value', 'small:\n  quota:\n    pods: [1]\n', /must be a quantity/],
  ])('refuses %s', (_what, text, message) => {
    expect(() => mergePlanOverrides(text)).toThrow(message);
  });
});
