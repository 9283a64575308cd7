import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * An OCI image archive (image layout, https://github.com/opencontainers/image-spec) made without
 * Docker, podman or a registry: each layer is a directory tree packed by GNU tar (sorted, owned
 * numeric owners, fixed times, so the same tree gives the same digest), a config and a manifest. The
 * manifest carries `io.containerd.image.name`, so `ctr images import` tags the image by name.
 */
export interface ImageConfig {
  /** localhost/storeplane/medusa-store:2.21.2-1 */
  name: string;
  /** Directories, each packed as one layer, bottom first. */
  layers: string[];
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
  exposedPorts?: number[];
}

async function sha256File(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

/** Packs a directory as a layer (gzip), deterministically; returns its blob's and content's digests. */
export async function packLayer(
  dir: string,
  out: string,
): Promise<{ digest: string; diffId: string; size: number }> {
  const plain = `${out}.tar`;
  await run(
    'tar',
    [
      '--create',
      `--file=${plain}`,
      `--directory=${dir}`,
      '--sort=name',
      // Owners as they are in the tree (a root filesystem built as root keeps its users' files).
      '--numeric-owner',
      '--mtime=@0',
      '--xattrs',
      '--acls',
      '.',
    ],
    { maxBuffer: 16 << 20 },
  );
  const diffId = await sha256File(plain);
  await run('gzip', ['-n', '-6', plain]); // -n: no name or time in the header
  await rename(`${plain}.gz`, out);
  return { digest: await sha256File(out), diffId, size: (await stat(out)).size };
}

/** Writes the image layout to `archive` (a tar that `ctr -n k8s.io images import` reads). */
export async function writeImageArchive(
  c: ImageConfig,
  archive: string,
): Promise<{ manifestDigest: string; bytes: number }> {
  const work = await mkdtemp(join(dirname(archive), '.oci-'));
  try {
    const blobs = join(work, 'blobs', 'sha256');
    await mkdir(blobs, { recursive: true });
    const layers: { digest: string; diffId: string; size: number }[] = [];
    for (const [i, dir] of c.layers.entries()) {
      const tmp = join(work, `layer-${i}.tar.gz`);
      const l = await packLayer(dir, tmp);
      await rename(tmp, join(blobs, l.digest));
      layers.push(l);
    }
    const blob = async (json: unknown) => {
      const body = Buffer.from(JSON.stringify(json));
      const digest = createHash('sha256').update(body).digest('hex');
      await writeFile(join(blobs, digest), body);
      return { digest, size: body.length };
    };
    const config = await blob({
      architecture: 'amd64',
      os: 'linux',
      config: {
        ...(c.entrypoint ? { Entrypoint: c.entrypoint } : {}),
        ...(c.cmd ? { Cmd: c.cmd } : {}),
        Env: c.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
        ...(c.workingDir ? { WorkingDir: c.workingDir } : {}),
        ...(c.user ? { User: c.user } : {}),
        ...(c.exposedPorts
          ? { ExposedPorts: Object.fromEntries(c.exposedPorts.map((p) => [`${p}/tcp`, {}])) }
          : {}),
      },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => `sha256:${l.diffId}`) },
      history: layers.map(() => ({ created_by: 'storeplane images', created: '1970-01-01T00:00:00Z' })),
    });
    const manifest = await blob({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: `sha256:${config.digest}`,
        size: config.size,
      },
      layers: layers.map((l) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: `sha256:${l.digest}`,
        size: l.size,
      })),
    });
    await writeFile(join(work, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    await writeFile(
      join(work, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: `sha256:${manifest.digest}`,
            size: manifest.size,
            annotations: {
              'io.containerd.image.name': c.name,
              'org.opencontainers.image.ref.name': c.name.split(':').pop(),
            },
          },
        ],
      }),
    );
    await run('tar', [
      '--create',
      `--file=${archive}.tmp`,
      `--directory=${work}`,
      '--sort=name',
      '--owner=0',
      '--group=0',
      '--mtime=@0',
      'oci-layout',
      'index.json',
      'blobs',
    ]);
    await rename(`${archive}.tmp`, archive);
    return { manifestDigest: `sha256:${manifest.digest}`, bytes: (await stat(archive)).size };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
