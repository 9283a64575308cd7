/** `npm run build:web`: builds the dashboard into web/dist when its build is missing or stale. */
import { ensureDashboard } from '../src/cli/dashboard.ts';

const dir = ensureDashboard((line) => process.stderr.write(`${line}\n`));
process.stderr.write(`The dashboard is built in ${dir}.\n`);
