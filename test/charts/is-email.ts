/**
 * WordPress's is_email() (wp-includes/formatting.php, WordPress/WordPress 001ffe81; the same checks
 * since WordPress 3.0), ported as an oracle: `wp core install` refuses an admin e-mail it refuses.
 * No filter is hooked in a fresh install, so apply_filters() returns what it is given. PHP's `$`
 * also matches before a final line break, and strlen() counts bytes: both kept.
 */
export function isEmail(email: string): boolean {
  // Test for the minimum length the email can be.
  if (Buffer.byteLength(email, 'utf8') < 6) return false;
  // Test for an @ character after the first position.
  if (email.indexOf('@', 1) === -1) return false;
  // Split out the local and domain parts.
  const at = email.indexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  // LOCAL PART: test for invalid characters.
  if (!/^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~.-]+\n?$/.test(local)) return false;
  // DOMAIN PART: test for sequences of periods.
  if (/\.{2,}/.test(domain)) return false;
  // Test for leading and trailing periods and whitespace.
  if (phpTrim(domain, ' \t\n\r\0\x0B.') !== domain) return false;
  // Split the domain into subs; assume the domain will have at least two subs.
  const subs = domain.split('.');
  if (subs.length < 2) return false;
  for (const sub of subs) {
    // Test for leading and trailing hyphens and whitespace.
    if (phpTrim(sub, ' \t\n\r\0\x0B-') !== sub) return false;
    // Test for invalid characters.
    if (!/^[a-z0-9-]+\n?$/i.test(sub)) return false;
  }
  return true;
}

/** PHP's trim($s, $chars): strips the given characters from both ends. */
function phpTrim(s: string, chars: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && chars.includes(s[start]!)) start++;
  while (end > start && chars.includes(s[end - 1]!)) end--;
  return s.slice(start, end);
}
