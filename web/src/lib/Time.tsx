import { exactTime, relativeTime } from './time.ts';
import { useNow } from './useNow.ts';

/**
 * A relative time ("3 minutes ago") that stays true as time passes, with the exact time on
 * hover (title) and in the markup; `empty` when there is no time (never used, never expires).
 */
export function RelTime({ iso, empty = 'Never' }: { iso: string | null | undefined; empty?: string }) {
  const now = useNow();
  if (!iso) return <>{empty}</>;
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {relativeTime(iso, now)}
    </time>
  );
}
