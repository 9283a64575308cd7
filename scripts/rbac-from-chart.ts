// deploy/rbac/*.yaml, rendered from the platform chart's RBAC templates: one source for those who
// `kubectl apply` (and for the suites that prove the RBAC is enough) and for `helm install`.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHelmRunner } from '../src/helm/runner.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
export const platformChart = join(root, 'charts', 'storeplane');
export const rbacFiles = {
  operator: join(root, 'deploy', 'rbac', 'operator.yaml'),
  api: join(root, 'deploy', 'rbac', 'api.yaml'),
} as const;

const headers = {
  operator: `# Least-privilege RBAC for the Storeplane operator, and the admission policies (at the end) that
# confine its cluster-wide rules to store namespaces. What each rule is for: docs/operator-rbac.md.
# Generated from charts/storeplane/templates/rbac/operator.yaml by \`npm run gen:rbac\`: edit the
# template. The chart installs the same objects; this file is for \`kubectl apply\`.
apiVersion: v1
kind: Namespace
metadata:
  name: storeplane-system
`,
  api: `# Least-privilege RBAC for the Storeplane HTTP API (\`storeplane api\`). Apply after operator.yaml
# (it creates the storeplane-system namespace and lets the operator bind the store reader role).
# What each rule is for, and the API call that needs it: docs/api-rbac.md.
# Generated from charts/storeplane/templates/rbac/api.yaml by \`npm run gen:rbac\`: edit the template.
`,
};

/** Each file's content, from `helm template` of the chart in namespace storeplane-system. */
export async function renderRbacFiles(helm: string): Promise<Record<keyof typeof rbacFiles, string>> {
  const runner = createHelmRunner({ binary: helm });
  const out = {} as Record<keyof typeof rbacFiles, string>;
  for (const which of Object.keys(rbacFiles) as (keyof typeof rbacFiles)[]) {
    const r = await runner.run([
      'template',
      'storeplane',
      platformChart,
      '--namespace',
      'storeplane-system',
      '--show-only',
      `templates/rbac/${which}.yaml`,
    ]);
    if (!r.ok) throw new Error(`helm template --show-only templates/rbac/${which}.yaml: ${r.stderr}`);
    const body = r.stdout
      .split('\n')
      .filter((line) => !line.startsWith('# Source: '))
      .join('\n')
      .replace(/^---\n/, '');
    out[which] = `${headers[which]}${which === 'operator' ? '---\n' : ''}${body.trimEnd()}\n`;
  }
  return out;
}
