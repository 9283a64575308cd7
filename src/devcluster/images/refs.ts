/** The names the real node's containerd knows the built images by (values-devnode.yaml uses them). */
export const imageRefs = {
  pause: 'localhost/storeplane/pause:dev',
  busybox: 'localhost/storeplane/busybox:dev',
  coredns: 'localhost/storeplane/coredns:dev',
  postgres: 'localhost/storeplane/postgres:dev',
  medusa: 'localhost/storeplane/medusa-store:dev',
  platform: 'localhost/storeplane/platform:dev',
} as const;
