import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where the cluster's certificates, keys and credentials live inside its data directory. */
export interface PkiFiles {
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
  tokenFile: string;
  /** The API server's client certificate for kubelets (logs, exec, port-forward). */
  kubeletClientCert: string;
  kubeletClientKey: string;
}

export function pkiFiles(dir: string): PkiFiles {
  return {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    servingCert: join(dir, 'apiserver.crt'),
    servingKey: join(dir, 'apiserver.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPub: join(dir, 'sa.pub'),
    tokenFile: join(dir, 'tokens.csv'),
    kubeletClientCert: join(dir, 'kubelet-client.crt'),
    kubeletClientKey: join(dir, 'kubelet-client.key'),
  };
}

/** Names the API server's serving certificate must carry (the in-cluster Service IP included). */
export const servingSubjectAltNames = [
  'DNS:localhost',
  'DNS:kubernetes',
  'DNS:kubernetes.default',
  'DNS:kubernetes.default.svc',
  'DNS:kubernetes.default.svc.cluster.local',
  'IP:127.0.0.1',
  'IP:10.96.0.1',
];

/**
 * Creates a CA, the API server's serving certificate, the service-account signing key pair and
 * a static token file with one cluster-admin user. Returns the admin's bearer token.
 */
export async function createPki(dir: string): Promise<{ files: PkiFiles; adminToken: string }> {
  const f = pkiFiles(dir);
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '3650',
    '-subj',
    '/CN=storeplane-test-ca',
    '-keyout',
    f.caKey,
    '-out',
    f.caCert,
  );
  const csr = join(dir, 'apiserver.csr');
  const ext = join(dir, 'san.ext');
  await openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=kube-apiserver',
    '-keyout',
    f.servingKey,
    '-out',
    csr,
  );
  await writeFile(ext, `subjectAltName=${servingSubjectAltNames.join(',')}\n`);
  await signWithCa(dir, csr, f.servingCert, ['-extfile', ext]);
  // No group: to the API server itself this identity has no rights; kubelets accept any client of the CA.
  await issueClientCert(dir, 'kubelet-client', { cn: 'kube-apiserver-kubelet-client' });
  await openssl('genrsa', '-out', f.serviceAccountKey, '2048');
  await openssl('rsa', '-in', f.serviceAccountKey, '-pubout', '-out', f.serviceAccountPub);
  const adminToken = randomBytes(24).toString('hex');
  // Static token authentication: token,user,uid,"groups". system:masters is cluster-admin.
  await writeFile(f.tokenFile, `${adminToken},storeplane-admin,storeplane-admin,"system:masters"\n`, {
    mode: 0o600,
  });
  for (const key of [f.caKey, f.servingKey, f.serviceAccountKey]) await chmod(key, 0o600);
  return { files: f, adminToken };
}

/**
 * A client certificate of the cluster CA in `dir` (`<name>.crt`, `<name>.key`): the API server
 * maps CN to the user and O to the group (system:node:<n>/system:nodes for a kubelet).
 */
export async function issueClientCert(
  dir: string,
  name: string,
  who: { cn: string; org?: string },
): Promise<{ cert: string; key: string }> {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const subj = `/CN=${who.cn}${who.org ? `/O=${who.org}` : ''}`;
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', subj, '-keyout', key, '-out', csr], {
    cwd: dir,
  });
  await signWithCa(dir, csr, cert);
  await chmod(key, 0o600);
  return { cert, key };
}

/** Signs a request with the cluster CA in `dir`, for ten years. */
async function signWithCa(dir: string, csr: string, out: string, extra: string[] = []): Promise<void> {
  const f = pkiFiles(dir);
  await run(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      f.caCert,
      '-CAkey',
      f.caKey,
      '-CAcreateserial',
      '-days',
      '3650',
      ...extra,
      '-out',
      out,
    ],
    { cwd: dir },
  );
}
