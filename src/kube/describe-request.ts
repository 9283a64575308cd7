/** verb (GET, LIST, PATCH, ...), resource (pods, stores/status, ...), whether it was a dry run. */
export type RequestObserver = (verb: string, resource: string, dryRun: boolean) => void;

/** The resource a REST path names: `/api/v1/namespaces/x/pods/y` → pods; a collection GET is a LIST. */
export function describeRequest(
  method: string,
  url: URL,
): { verb: string; resource: string; dryRun: boolean } {
  const parts = url.pathname.split('/').filter(Boolean);
  const start = parts[0] === 'api' ? 2 : 3; // api/v1/... or apis/group/version/...
  let rest = parts.slice(start);
  if (rest[0] === 'namespaces' && rest.length > 2) rest = rest.slice(2);
  const [resource = '', name, sub] = rest;
  const verb =
    method === 'GET' && !name ? (url.searchParams.get('watch') === 'true' ? 'WATCH' : 'LIST') : method;
  return { verb, resource: sub ? `${resource}/${sub}` : resource, dryRun: url.searchParams.has('dryRun') };
}
