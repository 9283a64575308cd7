import { createServer } from 'node:net';

/** Asks the kernel for a free TCP port on 127.0.0.1 (bound and released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

/** Distinct free ports; the kernel does not hand out a just-released port again right away. */
export async function freePorts<K extends string>(names: readonly K[]): Promise<Record<K, number>> {
  const ports = {} as Record<K, number>;
  const seen = new Set<number>();
  for (const name of names) {
    let port = await freePort();
    while (seen.has(port)) port = await freePort();
    seen.add(port);
    ports[name] = port;
  }
  return ports;
}

/** True when nothing listens on host:port and this process may bind it. */
export function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.on('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
