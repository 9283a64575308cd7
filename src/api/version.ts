import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The platform's version, from package.json (one source). */
export const version = (
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
