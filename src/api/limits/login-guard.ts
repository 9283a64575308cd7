import type { ApiRateLimits, RateRule } from '../config.ts';
import type { PlatformDb } from '../db/platform-db.ts';
import { rateLimitError } from './rate-limit.ts';

/**
 * Brute-force protection for password login: failed attempts are counted per account and per IP
 * in windows that open at the first failure; at the limit, further attempts are refused until the
 * window ends, whether the password is right or not (so a locked account cannot be probed).
 */
export class LoginGuard {
  constructor(
    private readonly db: PlatformDb,
    private readonly rules: Pick<ApiRateLimits, 'loginFailuresPerAccount' | 'loginFailuresPerIp'>,
  ) {}

  private keys(username: string, ip: string): [string, RateRule, string][] {
    return [
      [
        `login-fail:user:${username.toLowerCase()}`,
        this.rules.loginFailuresPerAccount,
        'failed logins per account',
      ],
      [`login-fail:ip:${ip}`, this.rules.loginFailuresPerIp, 'failed logins per IP'],
    ];
  }

  /** Throws a 429 ApiError when either counter is at its limit. */
  async check(username: string, ip: string): Promise<void> {
    const now = Date.now();
    for (const [key, rule, name] of this.keys(username, ip)) {
      const { count, windowStart } = await this.db.counters.peek(key, rule.windowMs, now);
      if (count >= rule.max)
        throw rateLimitError(name, rule.max, rule.windowMs, windowStart + rule.windowMs - now);
    }
  }

  async failed(username: string, ip: string): Promise<void> {
    const now = Date.now();
    for (const [key, rule] of this.keys(username, ip)) await this.db.counters.hit(key, rule.windowMs, now);
  }

  async succeeded(username: string): Promise<void> {
    await this.db.counters.reset(this.keys(username, '')[0]![0]);
  }
}
