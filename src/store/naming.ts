/** DNS-1123 label, 3 to 30 characters: the store name is part of its namespace and hostnames. */
export const storeNamePattern = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
export const storeNameMin = 3;
export const storeNameMax = 30;

export function namespaceFor(storeName: string): string {
  return `store-${storeName}`;
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
    return 'store name must consist of lower-case letters, digits and "-", and start and end with a letter or digit';
  }
  return undefined;
}
