// `helm test storeplane`: the platform answers as a user would find it, from inside the cluster.
// Exits 1 with what is wrong; needs nothing but Node's fetch.
const base = process.env.STOREPLANE_URL;
// A new pod's traffic can be dropped until the network plugin has programmed the policies that
// let it through (seconds, on a busy node): each check is retried until this deadline.
const deadline = Date.now() + Number(process.env.STOREPLANE_TEST_SECONDS ?? 60) * 1000;
const checks = [
  [
    'the API is ready (database and Store cache)',
    '/readyz',
    (r, body) => r.status === 200 && body.includes('"ready":true'),
  ],
  ['the dashboard is served', '/', (r, body) => r.status === 200 && body.includes('<div id="root">')],
  ['an anonymous store list is refused', '/api/v1/stores', (r) => r.status === 401],
];
const say = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Undefined when the check passes, else what was wrong the last time. */
async function attempt(path, ok) {
  try {
    const r = await fetch(base + path, { signal: AbortSignal.timeout(5_000) });
    const body = await r.text();
    return ok(r, body) ? undefined : `answered ${r.status}: ${body.slice(0, 200)}`;
  } catch (err) {
    return err.cause?.code ?? err.cause?.message ?? err.message;
  }
}

let failed = 0;
for (const [what, path, ok] of checks) {
  let problem = await attempt(path, ok);
  while (problem && Date.now() < deadline) {
    await sleep(1000);
    problem = await attempt(path, ok);
  }
  if (problem) {
    failed++;
    say(`FAILED: ${what}: GET ${path}: ${problem}`);
  } else say(`ok: ${what}`);
}
process.exit(failed ? 1 : 0);
