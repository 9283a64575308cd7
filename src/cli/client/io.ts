import { once } from 'node:events';
import { usageError } from './exit-codes.ts';

/** The terminal (or pipe) a command talks through; tests of pure parts pass their own. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stderr is a terminal: progress lines are redrawn in place there. */
  errIsTty: boolean;
  stdinIsTty: boolean;
  env: NodeJS.ProcessEnv;
}

export const processIo = (): CliIo => ({
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  errIsTty: Boolean(process.stderr.isTTY),
  stdinIsTty: Boolean(process.stdin.isTTY),
  env: process.env,
});

/** All of standard input, for --token-stdin and --password-stdin (a trailing newline dropped). */
export async function readStdin(maxBytes = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = Buffer.from(chunk as Buffer);
    size += b.length;
    if (size > maxBytes) throw new Error('standard input is too long for a secret');
    chunks.push(b);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * One line typed on the terminal without echo (a password). Raw mode, so nothing typed is shown;
 * Ctrl-C aborts, Backspace erases.
 */
export async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  let value = '';
  try {
    for (;;) {
      const [chunk] = (await once(stdin, 'data')) as [Buffer];
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return value;
        if (ch === '\u0003') throw new Error('cancelled');
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    }
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}

/** One line typed on the terminal, echoed (a user name, a confirmation). */
export async function promptLine(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/**
 * A secret piped to standard input (--token-stdin, --password-stdin); when standard input is a
 * terminal after all, it is asked for without echo instead of being read as typed.
 */
export async function secretFromStdin(io: CliIo, question: string): Promise<string> {
  return io.stdinIsTty ? promptHidden(question) : readStdin();
}

/** A password from stdin (`--password-stdin`) or typed at the terminal; never from argv. */
export async function askPassword(
  io: CliIo,
  fromStdin: boolean | undefined,
  question: string,
): Promise<string> {
  let password: string;
  if (fromStdin) password = await secretFromStdin(io, question);
  else if (io.stdinIsTty) password = await promptHidden(question);
  else throw usageError('no terminal to ask for the password: use --password-stdin');
  if (!password) throw usageError('the password is empty');
  return password;
}
