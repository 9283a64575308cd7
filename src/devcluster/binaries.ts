import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Beside this file in a checkout; from the compiled dist/devcluster, in src/devcluster.
const scriptsDir = existsSync(join(here, 'build.sh')) ? here : join(here, '..', '..', 'src', 'devcluster');
const buildScript = join(scriptsDir, 'build.sh');

/** The binaries the harness and the tests use, all in one cache directory keyed by their versions. */
export interface Binaries {
  dir: string;
  kubectl: string;
  helm: string;
}

export function binariesIn(dir: string): Binaries {
  return { dir, kubectl: join(dir, 'kubectl'), helm: join(dir, 'helm') };
}

/**
 * Builds the binaries from the Go module proxy the first time (progress on stderr) and returns
 * their cached directory; later calls return in well under a second.
 */
export async function ensureBinaries(): Promise<Binaries> {
  const dir = await runBuild(buildScript);
  await access(join(dir, '.complete'));
  return binariesIn(dir);
}

/** The real node's binaries (realnode/build.sh): kubelet, kube-proxy, coredns, kube-router, local-path-provisioner. */
export async function ensureNodeBinaries(): Promise<string> {
  const dir = await runBuild(join(scriptsDir, 'realnode', 'build.sh'));
  await access(join(dir, '.complete'));
  return dir;
}

function runBuild(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const dir = out.trim().split('\n').pop() ?? '';
      if (code === 0 && dir) resolve(dir);
      else reject(new Error(`${script} exited with ${code}`));
    });
  });
}
