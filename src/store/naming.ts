/**
 * Store names: a DNS-1035 label (starts with a letter), 3 to 30 characters. The name becomes the
 * namespace `store-<name>`, the Helm release and the prefix of the charts' Service names, and
 * Services need DNS-1035 labels.
 */
export const storeNamePattern = '^[a-z]([-a-z0-9]*[a-z0-9])?$';
export const storeNameMin = 3;
export const storeNameMax = 30;

/** A platform user name. */
export const userNamePattern = '[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?';
/**
 * An e-mail address every engine accepts: a subset of what WordPress's is_email() allows (it
 * refuses, e.g., a domain without a dot or a one-letter top-level domain). The WooCommerce chart
 * uses the same expression to decide whether the owner can be the admin e-mail.
 */
export const emailPattern =
  '[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.[A-Za-z]{2,63}';
export const ownerPattern = `^(?:${userNamePattern}|${emailPattern})$`;

export function namespaceFor(storeName: string): string {
  return `store-${storeName}`;
}

/** The store a namespace belongs to, by its name (`store-<name>`), or undefined. */
export function storeOfNamespace(namespace: string): string | undefined {
  return namespace.startsWith('store-') ? namespace.slice('store-'.length) : undefined;
}

/** The Helm release name: stable, short, and the same for every engine. */
export function releaseFor(storeName: string): string {
  return storeName;
}

export function storeNameProblem(name: string): string | undefined {
  if (name.length < storeNameMin || name.length > storeNameMax) {
    return `store name must be ${storeNameMin} to ${storeNameMax} characters long (got ${name.length})`;
  }
  if (!new RegExp(storeNamePattern).test(name)) {
    return 'store name must consist of lower-case letters, digits and "-", start with a letter and end with a letter or digit';
  }
  return undefined;
}

/**
 * Names a store cannot take: they would collide with the platform's own host names under the
 * base domain (`<name>.<base-domain>`) or read as something other than a shop.
 */
export const reservedStoreNames = new Set([
  'api',
  'app',
  'www',
  'admin',
  'dashboard',
  'storeplane',
  'platform',
  'system',
  'kube',
  'default',
  'localhost',
  'mail',
  'static',
  'status',
]);

export function storeNameRefusal(name: string): string | undefined {
  return (
    storeNameProblem(name) ??
    (reservedStoreNames.has(name) ? `"${name}" is reserved for the platform; choose another name` : undefined)
  );
}

/**
 * A store name from a display name: ASCII letters and digits of it (accents and apostrophes dropped), lower
 * case, words joined by "-", starting with a letter, at most 30 characters. Undefined when the
 * display name holds too few such characters (e.g. only emoji or CJK): the user picks a name.
 */
export function storeNameFrom(displayName: string): string | undefined {
  let name = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['\u2019\u02bc]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, storeNameMax)
    .replace(/-+$/, '');
  if (reservedStoreNames.has(name)) name = `${name}-store`;
  return storeNameRefusal(name) ? undefined : name;
}

/**
 * Why a display name is refused, in words (the Store schema's pattern says only "no"): blank,
 * control characters, or a space at either end (Medusa trims names, so it would not survive).
 * Length is the schema's to say. Undefined exactly when the schema's pattern accepts it.
 */
export function displayNameRefusal(displayName: string): string | undefined {
  if (displayName.length === 0) return undefined;
  const problem = displayNameProblems.find(([bad]) => bad.test(displayName))?.[1];
  return problem && `The field "displayName" ${problem}.`;
}

/** In order: the first that applies is said. */
const displayNameProblems: [RegExp, string][] = [
  [/^\s+$/, 'must not be blank (it holds only spaces)'],
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  [/[\x00-\x1f\x7f]/, 'must not hold control characters (line breaks, tabs, escapes)'],
  [/^\s|\s$/, 'must not start or end with a space'],
];
