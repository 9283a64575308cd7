import { Tooltip } from '@mantine/core';
import { exactTime, relativeTime } from './time.ts';
import { useNow } from './useNow.ts';

/** A relative time ("3 minutes ago") with the exact time on hover and in the markup. */
export function RelTime({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <Tooltip label={exactTime(iso)}>
      <time dateTime={iso} title={exactTime(iso)} tabIndex={0}>
        {relativeTime(iso, now)}
      </time>
    </Tooltip>
  );
}
