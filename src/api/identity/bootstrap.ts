import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformDb } from '../db/platform-db.ts';
import { hashPassword, passwordProblem } from './passwords.ts';

export const initialAdminFile = 'initial-admin-password';

export type BootstrapResult =
  { created: false } | { created: true; username: 'admin'; passwordFile?: string; password?: string };

/**
 * First start: with no user yet, creates `admin`. Its password comes from --admin-password-file,
 * or is random and written to `<dataDir>/initial-admin-password` (mode 0600), the way Argo CD
 * hands out its initial admin secret; change it and delete the file. Replicas racing on one
 * PostgreSQL: the unique user name lets one win; the others see the user and do nothing.
 */
export async function bootstrapAdmin(
  db: PlatformDb,
  dataDir: string,
  passwordFile?: string,
): Promise<BootstrapResult> {
  if ((await db.users.count()) > 0) return { created: false };
  let password: string;
  if (passwordFile) {
    password = readFileSync(passwordFile, 'utf8').replace(/\r?\n$/, '');
    const problem = passwordProblem(password);
    if (problem) throw new Error(`--admin-password-file: ${problem}`);
  } else {
    password = randomBytes(18).toString('base64url');
  }
  try {
    await db.users.create({ username: 'admin', role: 'admin', passwordHash: await hashPassword(password) });
  } catch (err) {
    if (await db.users.byUsername('admin')) return { created: false };
    throw err;
  }
  if (passwordFile) return { created: true, username: 'admin' };
  const file = join(dataDir, initialAdminFile);
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return { created: true, username: 'admin', passwordFile: file, password };
}
