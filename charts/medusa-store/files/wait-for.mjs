/* eslint-disable no-console -- a command-line tool: its output is for the pod log */
// Waits until every target answers, then exits 0; exits 1 after the deadline.
//   node wait-for.mjs [--timeout <seconds>] tcp://host:port http://host:port/path ...
// tcp:// targets need a TCP connection; http(s):// targets need a 2xx response.
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const args = process.argv.slice(2);
let timeout = 600;
const targets = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--timeout') timeout = Number(args[++i]);
  else targets.push(new URL(args[i]));
}
if (targets.length === 0 || !(timeout > 0)) {
  console.error('usage: wait-for.mjs [--timeout <seconds>] <tcp://host:port | http://host:port/path>...');
  process.exit(2);
}

function tcp(url) {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok ? true : 'connection refused or unreachable');
    };
    socket.setTimeout(5000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function http(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'manual' });
    return res.status >= 200 && res.status < 300 ? true : `HTTP ${res.status}`;
  } catch (err) {
    return String(err.cause?.code ?? err.message);
  }
}

const deadline = Date.now() + timeout * 1000;
for (const url of targets) {
  let last = '';
  for (;;) {
    const result = url.protocol === 'tcp:' ? await tcp(url) : await http(url);
    if (result === true) break;
    if (result !== last) console.log(`waiting for ${url.href}: ${result}`);
    last = result;
    if (Date.now() > deadline) {
      console.error(`gave up waiting for ${url.href} after ${timeout}s: ${result}`);
      process.exit(1);
    }
    await sleep(2000);
  }
  console.log(`${url.href} is up`);
}
