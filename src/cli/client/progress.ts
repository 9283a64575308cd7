import type { StoreSummary } from '../../api/client/client.ts';
import type { WaitEvent } from '../../client/wait.ts';
import { printable, seconds } from './format.ts';
import type { CliIo } from './io.ts';
import { type ClusterInfo, phaseText, unservedNote } from './views.ts';

const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Tells a wait's progress on stderr (stdout stays for the result, e.g. -o json). On a terminal:
 * a line per finished stage and one status line redrawn in place; elsewhere plain lines only,
 * one per stage and per change of phase, for logs and CI.
 */
export function progressReporter(io: CliIo, name: string) {
  const started = Date.now();
  let status = '';
  let lastPlain = '';
  let frame = 0;
  const clear = () => io.err('\r\x1b[2K');
  const draw = () => {
    if (!status) return;
    const elapsed = Math.floor((Date.now() - started) / 1000);
    io.err(`\r\x1b[2K${spinner[frame++ % spinner.length]} ${status} · ${elapsed}s`);
  };
  const timer = io.errIsTty ? setInterval(draw, 250) : undefined;
  timer?.unref();

  const line = (text: string) => {
    if (io.errIsTty) clear();
    io.err(`${text}\n`);
    if (io.errIsTty) draw();
  };

  return {
    onEvent(e: WaitEvent): void {
      switch (e.type) {
        case 'stage':
          line(`  ✓ ${e.step.stage.padEnd(12)}${seconds(e.step.seconds)}`);
          return;
        case 'failure':
          line(
            `  ✗ ${e.stalled ? 'failed, and the operator has stopped trying' : 'a try failed; the operator will try again'}: ${printable(e.failure.reason)}\n` +
              `    ${printable(e.failure.message)}\n    Fix: ${printable(e.failure.fix)}`,
          );
          return;
        case 'reconnecting':
          line(`  (the live stream broke: ${e.why}; reconnecting)`);
          return;
        case 'status': {
          status = `${name}: ${phaseText(e.store)}`;
          if (io.errIsTty) draw();
          else if (status !== lastPlain) {
            lastPlain = status;
            io.err(`${status}\n`);
          }
          return;
        }
      }
    },
    stop(): void {
      if (timer) clearInterval(timer);
      if (io.errIsTty) clear();
    },
  };
}

export function readyLine(s: StoreSummary, cluster?: ClusterInfo): string {
  const lines = [
    `${s.name} is Ready${s.provisioningSeconds !== undefined ? ` (${seconds(s.provisioningSeconds)} from creation)` : ''}.`,
  ];
  if (s.url) lines.push(`  Storefront: ${s.url}`);
  if (s.adminUrl) lines.push(`  Admin:      ${s.adminUrl}`);
  const note = s.url ? unservedNote(cluster, s.engine) : undefined;
  if (note) lines.push(`  ${note}`);
  return `${lines.join('\n')}\n`;
}
