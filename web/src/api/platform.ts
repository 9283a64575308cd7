import { useQuery } from '@tanstack/react-query';
import { api, call } from './http.ts';

/** The platform: version, the kind of cluster, the engines and the plans (cached for the session). */
export function usePlatform() {
  return useQuery({
    queryKey: ['platform'],
    queryFn: () => call(api.GET('/api/v1/platform')),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
