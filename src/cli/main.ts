import { processIo } from './client/io.ts';
import { runCli } from './program.ts';

// `storeplane stores list | head -1`: the reader left; stop quietly, as other Unix tools do.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // A terminal or file that cannot be written to: one line where it still may go, no stack.
    process.stderr.write(`storeplane: cannot write output (${err.code ?? err.message})\n`);
    process.exit(1);
  });

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`storeplane: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
