import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportIfStillRunning } from './slow-exit.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('reportIfStillRunning', () => {
  it('names what keeps the process alive, once the time has passed', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    reportIfStillRunning(log, 5_000);
    vi.advanceTimersByTime(4_999);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}') as { level: number; msg: string; open: Record<string, number> };
    expect(line.level).toBe(40);
    expect(line.msg).toBe('still running 5 s after shutdown; these keep the process alive');
    // The test's own worker holds something open (its message port to vitest, at least).
    expect(Object.keys(line.open).length).toBeGreaterThan(0);
    expect(Object.values(line.open).every((n) => n > 0)).toBe(true);
  });
});
