/**
 * What the real node's teardown removes, decided from what the machine reports (pure, so the
 * parsing is tested without touching the machine).
 */

/** Chains of kubelet, kube-proxy, kube-router (KUBE-…) and the CNI plugins (CNI-…). */
export const isNodeChain = (chain: string) => /^(KUBE-|CNI-)/.test(chain);

/**
 * iptables-restore lines (without the table header and COMMIT) that delete every rule jumping
 * to a node chain from any other chain, then flush and delete the node chains. `saved` is
 * `iptables-save -t <table>` output.
 */
export function chainsToRemove(saved: string): string[] {
  const chains: string[] = [];
  const deletes: string[] = [];
  for (const line of saved.split('\n')) {
    const declared = /^:(\S+)\s/.exec(line);
    if (declared?.[1] && isNodeChain(declared[1])) chains.push(declared[1]);
    const rule = /^-A (\S+) (.*)$/.exec(line);
    if (!rule?.[1] || isNodeChain(rule[1])) continue;
    const target = / -[jg] (\S+)/.exec(` ${rule[2]}`)?.[1];
    if (target && isNodeChain(target)) deletes.push(`-D ${rule[1]} ${rule[2]}`);
  }
  return [...deletes, ...chains.map((c) => `-F ${c}`), ...chains.map((c) => `-X ${c}`)];
}

/** kube-router's ipsets (IPv4 and the inet6: twins). */
export function ourIpsets(list: string): string[] {
  return list
    .split('\n')
    .map((l) => l.trim())
    .filter((name) => /^(inet6:)?(KUBE-|kube-router-)/.test(name));
}

/**
 * Mount points at or under `dir` from /proc/self/mountinfo, deepest first (the order to unmount
 * them in). Octal escapes in paths (\040 for a space) are decoded.
 */
export function mountsUnder(mountinfo: string, dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const points = mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => p === dir || p.startsWith(prefix));
  return [...new Set(points)].sort(
    (a, b) => b.split('/').length - a.split('/').length || b.length - a.length,
  );
}
