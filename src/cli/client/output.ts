import { Option } from 'commander';
import yaml from 'js-yaml';
import { table } from './format.ts';
import { usageError } from './exit-codes.ts';

export const outputFormats = ['table', 'json', 'yaml', 'name'] as const;
export type OutputFormat = (typeof outputFormats)[number];

/** `-o table|json|yaml|name`, on every command that reads. */
export const outputOption = () =>
  new Option('-o, --output <format>', 'how to print it').choices([...outputFormats]).default('table');

export function outputFormat(value: string | undefined): OutputFormat {
  const f = value ?? 'table';
  if (!(outputFormats as readonly string[]).includes(f))
    throw usageError(`-o takes one of ${outputFormats.join(', ')} (got "${f}")`);
  return f as OutputFormat;
}

/** How one kind of thing is shown: its table columns and its name (for -o name). */
export interface View<T> {
  headers: string[];
  row: (item: T, now: number) => string[];
  name: (item: T) => string;
}

/**
 * A list in the chosen format: a table; JSON or YAML of the API's own shape ({key: [...]}, so
 * `jq '.stores[].name'` works); or one name per line.
 */
export function renderList<T>(
  format: OutputFormat,
  key: string,
  items: T[],
  view: View<T>,
  now = Date.now(),
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ [key]: items }, null, 2)}\n`;
    case 'yaml':
      return yaml.dump({ [key]: items }, { lineWidth: -1, noRefs: true });
    case 'name':
      return items.map((i) => `${view.name(i)}\n`).join('');
    case 'table':
      return items.length === 0
        ? ''
        : table(
            view.headers,
            items.map((i) => view.row(i, now)),
          );
  }
}

/** One object: `describe` is its human view (table format). */
export function renderOne<T>(
  format: OutputFormat,
  item: T,
  view: View<T>,
  describe: (item: T) => string,
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(item, null, 2)}\n`;
    case 'yaml':
      return yaml.dump(item, { lineWidth: -1, noRefs: true });
    case 'name':
      return `${view.name(item)}\n`;
    case 'table':
      return describe(item);
  }
}
