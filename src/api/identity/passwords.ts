import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane): ~30 ms per hash here,
 * slow enough to make offline guessing costly and fast enough for a login per second per core.
 */
// algorithm 2 is Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax)
const options = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const passwordMin = 12;
export const passwordMax = 256;

export function passwordProblem(password: string): string | undefined {
  if (password.length < passwordMin) return `A password needs at least ${passwordMin} characters.`;
  if (password.length > passwordMax) return `A password has at most ${passwordMax} characters.`;
  return undefined;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Verifying against this when the user does not exist keeps both answers equally slow. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword('storeplane-decoy-password');
  return decoy;
}
