import { join } from 'node:path';

/**
 * Store display names (user input: up to 80 characters, any Unicode) that break a program which
 * takes them for anything but data: an option, a shell word, a template, a format string, a
 * Kubernetes $(VAR) reference. `$(...)` and backticks would create <dir>/pwned if a shell ran them.
 */
export function hostileDisplayNames(dir: string): string[] {
  const pwned = join(dir, 'pwned');
  return [
    '--exec=system("id");',
    '--Summer Sale--',
    '-x',
    '--require=/tmp/evil.php',
    '--',
    `Bob's "Best" Shop`,
    'Line one\nLine two',
    `$(touch ${pwned})`,
    `\`touch ${pwned}\``,
    '$(ADMIN_PASSWORD) $(HOME) $$(HOME) $',
    '{{ .Release.Name }} {{ fail "x" }}',
    '%s %d %n %%',
    'back\\slash \\n \\',
    ' leading and trailing spaces ',
    '# not a comment: [a, b] {c: d} &anchor *alias !!binary | >',
    // 80 characters (code points) of multibyte text.
    'ショップ🛒'.repeat(16),
  ];
}
