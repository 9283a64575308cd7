import { describe, expect, it } from 'vitest';
import { debianSource, mirrorFrom } from './debian.ts';

const files = (map: Record<string, string>) => (f: string) => map[f];

describe('the Debian source of the images', () => {
  it("takes the suite from os-release and the release's mirror from deb822 sources, not -security", () => {
    const read = files({
      '/etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_CODENAME=bookworm\n',
      '/etc/apt/sources.list.d/debian.sources': [
        'Types: deb\nURIs: http://security.example/debian-security\nSuites: bookworm-security\nComponents: main',
        'Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\nComponents: main',
      ].join('\n\n'),
    });
    expect(debianSource(read)).toEqual({ suite: 'bookworm', mirror: 'http://mirror.example/debian' });
  });

  it('reads a one-line sources.list (with options) when there is no deb822 file', () => {
    const read = files({
      '/etc/apt/sources.list': '# x\ndeb [arch=amd64] http://old.example/debian trixie main\n',
    });
    expect(mirrorFrom(read)).toBe('http://old.example/debian');
  });

  it("falls back to Debian's own mirror and bookworm", () => {
    expect(debianSource(files({}))).toEqual({ suite: 'bookworm', mirror: 'http://deb.debian.org/debian' });
  });
});
