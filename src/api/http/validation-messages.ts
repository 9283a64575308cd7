import type { FastifySchemaValidationError } from 'fastify';
import { storeNamePattern, userNamePattern } from '../../store/naming.ts';

/**
 * Schema validation errors (ajv's, as Fastify hands them over) in words for people: one sentence
 * per wrong value, naming it as the caller knows it (a field of the body, a query or path
 * parameter, a header), never ajv's "must match pattern" or "must NOT have additional properties".
 */

type Context = 'body' | 'querystring' | 'params' | 'headers' | string;

/** What a pattern of the API's schemas means; anything else gets a plain "is not in the expected form". */
const patternWords = new Map<string, string>([
  [
    storeNamePattern,
    'must be a store name: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit',
  ],
  [
    `^${userNamePattern}$`,
    'must be a user name: letters, digits, ".", "_" and "-", starting and ending with a letter or digit',
  ],
  [`^(${userNamePattern}|[^\\s]+@[^\\s]+)$`, 'must be a user name or an e-mail address'],
  ['^[a-z0-9]{12}$', 'must be a token id: 12 lower-case letters and digits'],
  ['^[^\\x00-\\x1f\\x7f]+$', 'must not hold control characters (line breaks, tabs, escapes)'],
  ['^[A-Za-z0-9_-]+$', 'may hold only letters, digits, "-" and "_"'],
]);

const typeWords: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'a list',
  null: 'null',
};

const formatWords: Record<string, string> = {
  'date-time': 'a date and time such as 2026-01-31T12:00:00Z',
  date: 'a date such as 2026-01-31',
  email: 'an e-mail address',
  uri: 'a URL',
};

const quote = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));
const list = (words: string[]) =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;

/** The value an error is about, as the caller named it. */
function subject(context: Context, instancePath: string): { words: string; field?: string } {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (!parts.length) {
    const whole: Record<string, string> = {
      body: 'the body',
      querystring: 'the query',
      params: 'the path',
      headers: 'the headers',
    };
    return { words: whole[context] ?? 'the request' };
  }
  const field = parts.map((p, i) => (i === 0 ? p : /^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('');
  const kind: Record<string, string> = {
    body: 'field',
    querystring: 'query parameter',
    params: 'path parameter',
    headers: 'header',
  };
  return { words: `the ${kind[context] ?? 'field'} "${field}"`, field };
}

function typeWordsOf(e: FastifySchemaValidationError): string[] {
  const t = e.params.type;
  const types = Array.isArray(t) ? (t as string[]) : String(t).split(',');
  return types.map((x) => typeWords[x] ?? x);
}

/** The predicate for one error: "must be …", or undefined when it needs the whole sentence. */
function predicate(context: Context, e: FastifySchemaValidationError): string {
  const p = e.params;
  switch (e.keyword) {
    case 'type':
      // A query parameter or header is text unless given twice (then it arrives as a list).
      if (context !== 'body' && p.type === 'string') return 'must be given once';
      return `must be ${list(typeWordsOf(e))}`;
    case 'enum':
      return `must be one of: ${(p.allowedValues as unknown[]).map((v) => String(v)).join(', ')}`;
    case 'const':
      return `must be ${quote(p.allowedValue)}`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters long`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`;
    case 'pattern':
      return (
        patternWords.get(String(p.pattern)) ??
        (/^\^\[0-9\]\{1,\d+\}\$$/.test(String(p.pattern))
          ? 'must be a whole number'
          : 'is not in the form this endpoint takes')
      );
    case 'format':
      return `must be ${formatWords[String(p.format)] ?? `a valid ${String(p.format)}`}`;
    case 'minimum':
      return `must be at least ${String(p.limit)}`;
    case 'maximum':
      return `must be at most ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `must be more than ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return `must be less than ${String(p.limit)}`;
    case 'multipleOf':
      return `must be a multiple of ${String(p.multipleOf)}`;
    case 'minItems':
      return p.limit === 1 ? 'must not be empty' : `must hold at least ${String(p.limit)} items`;
    case 'maxItems':
      return `must hold at most ${String(p.limit)} items`;
    case 'uniqueItems':
      return 'must not hold the same item twice';
    case 'minProperties':
      return p.limit === 1 ? 'must hold at least one field' : `must hold at least ${String(p.limit)} fields`;
    case 'maxProperties':
      return `must hold at most ${String(p.limit)} fields`;
    default:
      return 'is not valid';
  }
}

/** One sentence for one error (the subject is the object holding the wrong or missing field). */
function sentence(context: Context, e: FastifySchemaValidationError): { text: string; field?: string } {
  const s = subject(context, e.instancePath);
  if (e.keyword === 'additionalProperties') {
    const extra = String(e.params.additionalProperty);
    const where = s.field ? ` in ${s.words}` : '';
    if (context === 'querystring')
      return { text: `There is no query parameter "${extra}" here`, field: extra };
    return {
      text: `This endpoint takes no field "${extra}"${where}`,
      field: s.field ? `${s.field}.${extra}` : extra,
    };
  }
  if (e.keyword === 'required') {
    const missing = String(e.params.missingProperty);
    const kind = context === 'querystring' ? 'query parameter' : context === 'headers' ? 'header' : 'field';
    return {
      text: `${s.words} needs the ${kind} "${missing}"`,
      field: s.field ? `${s.field}.${missing}` : missing,
    };
  }
  return { text: `${s.words} ${predicate(context, e)}`, field: s.field };
}

/** For a value that may be one of several things (a union): one sentence naming them all. */
function unionSentence(
  context: Context,
  errors: FastifySchemaValidationError[],
): { text: string; field?: string } {
  const s = subject(context, errors[0]!.instancePath);
  const values: string[] = [];
  const types: string[] = [];
  for (const e of errors) {
    if (e.keyword === 'const') values.push(String(e.params.allowedValue));
    else if (e.keyword === 'enum')
      values.push(...(e.params.allowedValues as unknown[]).map((v) => String(v)));
    else if (e.keyword === 'type') types.push(...typeWordsOf(e));
  }
  if (values.length && !types.length)
    return { text: `${s.words} must be one of: ${values.join(', ')}`, field: s.field };
  const words = [...new Set([...types, ...values.map(quote)])];
  return { text: `${s.words} must be ${list(words)}`, field: s.field };
}

export interface ValidationProblems {
  /** Sentences, each with a capital and a full stop. */
  problems: string[];
  /** The fields (or parameters) they are about, as the caller named them. */
  fields: string[];
}

export function describeValidation(
  errors: FastifySchemaValidationError[],
  context: Context = 'body',
): ValidationProblems {
  // ajv reports every failed branch of a union and every failed keyword of a value: one value,
  // one sentence. The errors of one value are grouped by where the value is.
  const byPath = new Map<string, FastifySchemaValidationError[]>();
  for (const e of errors) {
    const key =
      e.keyword === 'additionalProperties' || e.keyword === 'required'
        ? `${e.instancePath}\u0000${e.keyword}${JSON.stringify(e.params)}`
        : e.instancePath;
    byPath.set(key, [...(byPath.get(key) ?? []), e]);
  }
  const out: { text: string; field?: string }[] = [];
  for (const group of byPath.values()) {
    const isUnion = group.some((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
    const rest = group.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
    if (isUnion) {
      // A branch whose type matched says what is wrong (e.g. a number below its minimum).
      const specific = rest.filter((e) => !['type', 'const', 'enum'].includes(e.keyword));
      if (specific.length) out.push(...specific.map((e) => sentence(context, e)));
      else if (rest.length) out.push(unionSentence(context, rest));
      else out.push(sentence(context, group[0]!));
      continue;
    }
    const wrongType = rest.find((e) => e.keyword === 'type');
    out.push(...(wrongType ? [wrongType] : rest).map((e) => sentence(context, e)));
  }
  const problems = [...new Set(out.map((o) => `${o.text[0]!.toUpperCase()}${o.text.slice(1)}.`))];
  const fields = [...new Set(out.flatMap((o) => (o.field ? [o.field] : [])))];
  return { problems, fields };
}
