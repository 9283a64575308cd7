import { join } from 'node:path';
import { hostileDisplayNames as shared, pwnedPath } from '../fixtures/hostile-names.ts';

/**
 * The shared corpus of hostile display names (test/fixtures/hostile-names.ts), with the file a
 * shell running `$(...)` or backticks would create moved into `dir`, so each test checks its own.
 */
export function hostileDisplayNames(dir: string): string[] {
  return shared.map((n) => n.replaceAll(pwnedPath, join(dir, 'pwned')));
}
