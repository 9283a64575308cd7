import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeRelease, encodeRelease, type StoredRelease } from './storage.ts';

describe("Helm's release record format (pkg/storage/driver/util.go)", () => {
  const rel: StoredRelease = {
    name: 'shop',
    version: 3,
    manifest: '---\nkind: Service\n',
    info: { status: 'pending-upgrade' },
  };

  it('decodes what Helm writes: base64 of gzipped JSON', () => {
    const helmWrote = gzipSync(Buffer.from(JSON.stringify(rel))).toString('base64');
    expect(decodeRelease(helmWrote)).toEqual(rel);
  });

  it('decodes uncompressed records (old Helm)', () => {
    expect(decodeRelease(Buffer.from(JSON.stringify(rel)).toString('base64'))).toEqual(rel);
  });

  it('encodes what Helm reads back', () => {
    const text = gunzipSync(Buffer.from(encodeRelease(rel), 'base64')).toString('utf8');
    expect(JSON.parse(text)).toEqual(rel);
    expect(decodeRelease(encodeRelease(rel))).toEqual(rel);
  });
});
