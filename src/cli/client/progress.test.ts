import { describe, expect, it } from 'vitest';
import type { StoreSummary } from '../../api/client/client.ts';
import type { CliIo } from './io.ts';
import { progressReporter } from './progress.ts';

function io(tty: boolean): CliIo & { text: () => string } {
  let text = '';
  return {
    out: () => {},
    err: (t) => void (text += t),
    errIsTty: tty,
    stdinIsTty: false,
    env: {},
    text: () => text,
  };
}
const status = (phase: string, stage?: string) => ({
  type: 'status' as const,
  store: { name: 's', phase, stage, stalled: false } as StoreSummary,
});
const stage = (name: string) => ({
  type: 'stage' as const,
  step: { stage: name, condition: 'X', state: 'done', seconds: 1.25 } as never,
});

describe('progress while waiting', () => {
  it('without a terminal: plain lines, one per stage and per change of phase, no escape codes', () => {
    const o = io(false);
    const r = progressReporter(o, 'shop');
    r.onEvent(status('Pending', 'namespace'));
    r.onEvent(stage('namespace'));
    r.onEvent(status('Pending', 'namespace'));
    r.onEvent(status('Provisioning', 'release'));
    r.stop();
    expect(o.text()).toBe('shop: Pending (namespace)\n  ✓ namespace   1.3s\nshop: Provisioning (release)\n');
  });

  it('on a terminal: one status line redrawn in place, stage lines above it, cleared at the end', () => {
    const o = io(true);
    const r = progressReporter(o, 'shop');
    r.onEvent(status('Provisioning', 'release'));
    r.onEvent(stage('release'));
    r.stop();
    const t = o.text();
    expect(t.startsWith('\r\x1b[2K⠋ shop: Provisioning (release) · 0s')).toBe(true);
    expect(t).toContain('\r\x1b[2K  ✓ release     1.3s\n');
    expect(t.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('a failed try and a stall are told with the reason and the fix', () => {
    const o = io(false);
    const r = progressReporter(o, 'shop');
    const failure = {
      reason: 'QuotaExceeded',
      message: 'exceeded quota',
      fix: 'pick a larger plan',
      since: '',
    };
    r.onEvent({ type: 'failure', failure, stalled: false });
    r.onEvent({ type: 'failure', failure, stalled: true });
    expect(o.text()).toBe(
      '  ✗ a try failed; the operator will try again: QuotaExceeded\n    exceeded quota\n    Fix: pick a larger plan\n' +
        '  ✗ failed, and the operator has stopped trying: QuotaExceeded\n    exceeded quota\n    Fix: pick a larger plan\n',
    );
  });
});
