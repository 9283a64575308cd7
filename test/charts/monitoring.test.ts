import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiMetrics } from '../../src/api/http/metrics.ts';
import { ensureBinaries } from '../../src/devcluster/binaries.ts';
import { createHelmRunner } from '../../src/helm/runner.ts';
import { createMetrics } from '../../src/operator/metrics.ts';
import { phases } from '../../src/store/schema.ts';
import { repoRoot } from './charts.ts';
import { helmSetupTimeout } from './helm-template.ts';

/*
 * The platform chart's monitoring (templates/monitoring, files/grafana-dashboard.json), checked by
 * the Prometheus project's own PromQL parser and rule engine: promtool, built once from the Go
 * module proxy by src/devcluster/build-promtool.sh. `check rules` proves every expression and
 * annotation template parses; `test rules` proves each alert fires on the series it is about and
 * stays quiet on look-alikes; the name check proves they only read metrics and labels that the
 * operator and the API really export (their prom-client registries, not a copy of the names).
 */

const chartDir = join(repoRoot, 'charts', 'storeplane');
const namespace = 'storeplane';
const work = mkdtempSync(join(tmpdir(), 'storeplane-monitoring-'));

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}
interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleGroups {
  groups: { name: string; rules: Rule[] }[];
}

let promtool = '';
let rendered: K8sObject[] = [];
let ruleGroups: RuleGroups = { groups: [] };
let alerts: Rule[] = [];
let dashboard: Dashboard = { panels: [] };

async function render(values: unknown): Promise<K8sObject[]> {
  const { helm } = await ensureBinaries();
  const home = mkdtempSync(join(tmpdir(), 'storeplane-helm-home-'));
  const runner = createHelmRunner({
    binary: helm,
    env: { HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home },
  });
  const r = await runner.run(['template', 'storeplane', chartDir, '--namespace', namespace], { values });
  if (!r.ok) throw new Error(`helm template failed: ${r.stderr}`);
  return (yaml.loadAll(r.stdout) as (K8sObject | null)[]).filter((d): d is K8sObject => d !== null);
}

/** build-promtool.sh prints the binary's path as its last stdout line (at once when cached). */
function buildPromtool(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(repoRoot, 'src', 'devcluster', 'build-promtool.sh')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const path = out.trim().split('\n').pop() ?? '';
      if (code === 0 && path) resolve(path);
      else reject(new Error(`build-promtool.sh exited with ${code}`));
    });
  });
}

function run(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) =>
    execFile(promtool, args, { cwd: work }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
    ),
  );
}

/** Writes a file into the scratch dir and returns its name. */
function scratch(name: string, content: unknown): string {
  writeFileSync(join(work, name), typeof content === 'string' ? content : yaml.dump(content));
  return name;
}

const find = (kind: string, name: string) =>
  rendered.find((o) => o.kind === kind && o.metadata.name === name);

const monitoringOn = {
  monitoring: {
    serviceMonitor: { enabled: true, interval: '15s', labels: { release: 'kube-prometheus-stack' } },
    prometheusRules: { enabled: true, labels: { release: 'kube-prometheus-stack' } },
    grafanaDashboard: { enabled: true, labels: { grafana_dashboard: '1' } },
  },
};

beforeAll(async () => {
  [promtool, rendered] = await Promise.all([buildPromtool(), render(monitoringOn)]);
  const rule = find('PrometheusRule', 'storeplane');
  if (!rule?.spec) throw new Error('no PrometheusRule storeplane rendered');
  ruleGroups = rule.spec as unknown as RuleGroups;
  alerts = ruleGroups.groups.flatMap((g) => g.rules);
  const json = find('ConfigMap', 'storeplane-grafana-dashboard')?.data?.['storeplane.json'];
  if (!json) throw new Error('no dashboard ConfigMap rendered');
  dashboard = JSON.parse(json) as Dashboard;
}, helmSetupTimeout);

describe('platform chart: monitoring objects', () => {
  it('renders none of them by default', async () => {
    const plain = await render({});
    expect(plain.filter((o) => o.apiVersion.startsWith('monitoring.coreos.com/'))).toEqual([]);
    expect(plain.filter((o) => o.metadata.name === 'storeplane-grafana-dashboard')).toEqual([]);
  });

  it("the stuck-provisioning window follows the operator's attempt deadline", async () => {
    const exprOf = (objs: K8sObject[]) =>
      (objs.find((o) => o.kind === 'PrometheusRule')?.spec as unknown as RuleGroups).groups
        .flatMap((g) => g.rules)
        .find((r) => r.alert === 'StoreplaneStoresStuckProvisioning')?.expr;
    // Default 600s: at least 30 minutes. A 1h deadline: two attempts, 2h.
    expect(exprOf(rendered)).toContain('[1800s]');
    const long = await render({ ...monitoringOn, operator: { deadlineSeconds: 3600 } });
    expect(exprOf(long)).toContain('[7200s]');
  });

  it.each(['operator', 'api'])(
    'the %s ServiceMonitor scrapes /metrics on a port its Service and pods really serve',
    (component) => {
      const sm = find('ServiceMonitor', `storeplane-${component}`);
      expect(sm?.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
      const spec = sm?.spec as {
        namespaceSelector: { matchNames: string[] };
        selector: { matchLabels: Record<string, string> };
        endpoints: { port: string; path: string; interval: string }[];
      };
      expect(spec.namespaceSelector.matchNames).toEqual([namespace]);
      expect(spec.endpoints).toEqual([expect.objectContaining({ path: '/metrics', interval: '15s' })]);
      // Exactly one Service of the release carries the selected labels, with the scraped port.
      const services = rendered.filter(
        (o) =>
          o.kind === 'Service' &&
          Object.entries(spec.selector.matchLabels).every(([k, v]) => o.metadata.labels?.[k] === v),
      );
      expect(services.map((s) => s.metadata.name)).toEqual([
        component === 'operator' ? 'storeplane-operator-metrics' : 'storeplane-api',
      ]);
      const port = (services[0]?.spec?.ports as { name: string; targetPort: string | number }[]).find(
        (p) => p.name === spec.endpoints[0]?.port,
      );
      expect(port).toBeDefined();
      // ... whose target is a container port that the process listens on for /metrics.
      const deployment = find('Deployment', `storeplane-${component}`);
      const containers = (deployment?.spec as { template: { spec: { containers: Container[] } } } | undefined)
        ?.template.spec.containers;
      const container = containers?.find((c) =>
        c.ports?.some((p) => p.name === port?.targetPort || p.containerPort === port?.targetPort),
      );
      const containerPort = container?.ports?.find(
        (p) => p.name === port?.targetPort || p.containerPort === port?.targetPort,
      )?.containerPort;
      expect(containerPort).toBeDefined();
      expect(container?.args).toContainEqual(
        expect.stringMatching(`^--metrics-bind-address=.*:${containerPort}$`),
      );
    },
  );
});

interface Container {
  name: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
}

describe('platform chart: PrometheusRule', () => {
  it('passes promtool check rules, lint included', async () => {
    const r = await run(['check', 'rules', '--lint=all', '--lint-fatal', scratch('rules.yaml', ruleGroups)]);
    expect(r.out).toMatch(/SUCCESS: \d+ rules found/);
    expect(r.code).toBe(0);
  });

  it('every alert has a severity, a summary and a description that says what to do', () => {
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    for (const a of alerts) {
      expect(a.alert, a.expr).toMatch(/^Storeplane[A-Z]\w+$/);
      expect(['critical', 'warning']).toContain(a.labels?.severity);
      expect(a.annotations?.summary).toBeTruthy();
      expect((a.annotations?.description ?? '').length, a.alert).toBeGreaterThan(100);
    }
  });

  it('each alert fires on its signal and stays quiet on look-alikes (promtool test rules)', async () => {
    const tests = unitTests();
    const rules = scratch('rules.yaml', ruleGroups);
    const file = scratch('rules.test.yaml', { rule_files: [rules], evaluation_interval: '1m', tests });
    const r = await run(['test', 'rules', file]);
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
    // Every alert has a case where it fires.
    const fired = new Set(
      tests.flatMap((t) => t.alert_rule_test.filter((c) => c.exp_alerts.length).map((c) => c.alertname)),
    );
    expect(alerts.map((a) => a.alert).filter((n) => !fired.has(n ?? ''))).toEqual([]);
  });

  it('the checks can fail: a broken expression, and an alert expected where it must not fire', async () => {
    const broken = scratch('broken.yaml', {
      groups: [{ name: 'g', rules: [{ alert: 'Broken', expr: 'sum(rate(storeplane_leader[5m])' }] }],
    });
    const r = await run(['check', 'rules', broken]);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/unclosed left parenthesis|parse error/);

    // A leader exists: expecting StoreplaneOperatorNoLeader to fire must fail the unit test.
    const rules = scratch('rules.yaml', ruleGroups);
    const wrong = scratch('wrong.test.yaml', {
      rule_files: [rules],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [{ series: 'storeplane_leader{pod="op-0"}', values: '1x20' }],
          alert_rule_test: [
            { eval_time: '10m', alertname: 'StoreplaneOperatorNoLeader', exp_alerts: [{ exp_labels: {} }] },
          ],
        },
      ],
    });
    const t = await run(['test', 'rules', wrong]);
    expect(t.code).not.toBe(0);
    expect(t.out).toContain('StoreplaneOperatorNoLeader');
  });
});

// --- promtool rule unit tests: what each alert means, as series in and alerts out ---

interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: { exp_labels: Record<string, string>; exp_annotations?: Record<string, string> }[];
}
interface UnitTest {
  name: string;
  interval: string;
  input_series: { series: string; values: string }[];
  alert_rule_test: AlertTest[];
}

/**
 * An expected firing alert: its labels (severity first), and the values promtool must put into
 * its annotation templates, keyed by the template's text ('$value | humanize'). The annotations
 * themselves are the rendered rule's, so a changed text needs no change here, a changed value does.
 */
function fires(
  alertname: string,
  evalTime: string,
  labels: Record<string, string>,
  vars: Record<string, string> = {},
): AlertTest {
  const rule = alerts.find((a) => a.alert === alertname);
  if (!rule) throw new Error(`no alert ${alertname}`);
  const expand = (text: string) =>
    text.replace(/\{\{\s*(.+?)\s*\}\}/g, (_m, expr: string) => {
      const v = vars[expr];
      if (v === undefined) throw new Error(`${alertname}: no expected value for {{ ${expr} }}`);
      return v;
    });
  const annotations = Object.fromEntries(
    Object.entries(rule.annotations ?? {}).map(([k, v]) => [k, expand(v)]),
  );
  return {
    eval_time: evalTime,
    alertname,
    exp_alerts: [{ exp_labels: labels, exp_annotations: annotations }],
  };
}
const quiet = (alertname: string, evalTime: string): AlertTest => ({
  eval_time: evalTime,
  alertname,
  exp_alerts: [],
});
const series = (s: string, values: string) => ({ series: s, values });
const unit = (name: string, input: UnitTest['input_series'], cases: AlertTest[]): UnitTest => ({
  name,
  interval: '1m',
  input_series: input,
  alert_rule_test: cases,
});

/** Series as the operator (pods op-0, op-1) and the API (api-0) export them, two of each where it matters. */
function unitTests(): UnitTest[] {
  const stores = (pod: string, phase: string, engine: string, values: string) =>
    series(`storeplane_stores{pod="${pod}", phase="${phase}", engine="${engine}"}`, values);
  const finished = (outcome: string, values: string) =>
    series(
      `storeplane_store_provisioning_seconds_count{pod="op-0", engine="medusa", outcome="${outcome}"}`,
      values,
    );
  const requests = (route: string, status: string, values: string) =>
    series(
      `storeplane_api_http_request_duration_seconds_count{pod="api-0", route="${route}", method="GET", status="${status}"}`,
      values,
    );
  const bucket = (route: string, le: string, values: string) =>
    series(
      `storeplane_api_http_request_duration_seconds_bucket{pod="api-0", route="${route}", method="GET", status="200", le="${le}"}`,
      values,
    );
  const crit = { severity: 'critical' };
  const warn = { severity: 'warning' };
  return [
    unit(
      'nothing scraped: both components absent',
      [series('up{job="other"}', '1x20')],
      [fires('StoreplaneOperatorAbsent', '11m', crit), fires('StoreplaneApiAbsent', '11m', crit)],
    ),
    unit(
      'operator replicas up, none leads',
      [series('storeplane_leader{pod="op-0"}', '0x20'), series('storeplane_leader{pod="op-1"}', '0x20')],
      [
        quiet('StoreplaneOperatorNoLeader', '4m'), // `for: 5m`
        fires('StoreplaneOperatorNoLeader', '6m', crit),
        quiet('StoreplaneOperatorAbsent', '15m'),
        quiet('StoreplaneOperatorSplitLeadership', '15m'),
      ],
    ),
    unit(
      'a handover: the leader changes, one leader throughout but for a minute',
      [
        series('storeplane_leader{pod="op-0"}', '1x5 0x15'),
        series('storeplane_leader{pod="op-1"}', '0x6 1x14'),
      ],
      [quiet('StoreplaneOperatorNoLeader', '15m'), quiet('StoreplaneOperatorSplitLeadership', '15m')],
    ),
    unit(
      'two replicas both say they lead',
      [series('storeplane_leader{pod="op-0"}', '1x20'), series('storeplane_leader{pod="op-1"}', '1x20')],
      [fires('StoreplaneOperatorSplitLeadership', '6m', warn, { $value: '2' })],
    ),
    unit(
      'stores provisioning and no attempt finishing; every replica reports the count',
      [
        stores('op-0', 'Provisioning', 'medusa', '2x60'),
        stores('op-1', 'Provisioning', 'medusa', '2x60'),
        stores('api-0', 'Provisioning', 'medusa', '2x60'),
        stores('op-0', 'Provisioning', 'woocommerce', '1x60'),
        stores('api-0', 'Provisioning', 'woocommerce', '1x60'),
      ],
      [
        quiet('StoreplaneStoresStuckProvisioning', '14m'),
        // 2 medusa + 1 woocommerce, counted once however many replicas report them.
        fires('StoreplaneStoresStuckProvisioning', '16m', warn, { $value: '3' }),
      ],
    ),
    unit(
      'a busy platform: always some store provisioning, attempts finishing every minute',
      [stores('op-0', 'Provisioning', 'medusa', '2x90'), finished('ready', '0+1x90')],
      [quiet('StoreplaneStoresStuckProvisioning', '80m')],
    ),
    unit(
      'attempts stop finishing after 10 minutes: stuck once the 30m window and the 15m `for` pass',
      [stores('op-0', 'Provisioning', 'medusa', '1x90'), finished('ready', '0+1x10 10x80')],
      [
        quiet('StoreplaneStoresStuckProvisioning', '50m'),
        fires('StoreplaneStoresStuckProvisioning', '60m', warn, { $value: '1' }),
      ],
    ),
    unit(
      'failed and degraded stores of both engines, reported by operator and API replicas',
      [
        stores('op-0', 'Failed', 'woocommerce', '1x40'),
        stores('api-0', 'Failed', 'woocommerce', '1x40'),
        stores('op-0', 'Failed', 'medusa', '2x40'),
        stores('api-0', 'Failed', 'medusa', '2x40'),
        stores('op-0', 'Degraded', 'medusa', '1x40'),
        stores('op-0', 'Ready', 'medusa', '9x40'),
      ],
      [
        quiet('StoreplaneStoresFailed', '14m'),
        fires('StoreplaneStoresFailed', '16m', warn, { $value: '3' }),
        quiet('StoreplaneStoresDegraded', '29m'),
        fires('StoreplaneStoresDegraded', '31m', warn, { $value: '1' }),
      ],
    ),
    unit(
      'API replicas report zero for every phase: no alert',
      phases.map((p) => stores('api-0', p, 'medusa', p === 'Ready' ? '4x40' : '0x40')),
      [
        quiet('StoreplaneStoresFailed', '35m'),
        quiet('StoreplaneStoresDegraded', '35m'),
        quiet('StoreplaneStoresStuckProvisioning', '35m'),
      ],
    ),
    unit(
      'two of three provisioning attempts fail',
      [finished('failed', '0+1x120'), finished('ready', '0+0.5x120')],
      [fires('StoreplaneProvisioningFailureRatio', '70m', warn, { '$value | humanizePercentage': '66.67%' })],
    ),
    unit(
      'a single failed attempt is 100% of one, not a failure rate',
      [finished('failed', '0x20 1x100'), finished('ready', '0x120')],
      [quiet('StoreplaneProvisioningFailureRatio', '30m')],
    ),
    unit(
      'one stage throws twice a minute, another now and then',
      [
        series('storeplane_reconcile_errors_total{pod="op-0", stage="releasing the engine chart"}', '0+2x60'),
        series('storeplane_reconcile_errors_total{pod="op-0", stage="checking the workloads"}', '0+0.5x60'),
      ],
      [
        fires(
          'StoreplaneReconcileErrors',
          '40m',
          { severity: 'warning', stage: 'releasing the engine chart' },
          { '$labels.stage': 'releasing the engine chart', '$value | humanize': '30' },
        ),
      ],
    ),
    unit(
      "the leader's queue stays long; a standby's queue holds every store and does not count",
      [
        series('storeplane_leader{pod="op-0"}', '1x40'),
        series('storeplane_workqueue_depth{pod="op-0"}', '30x40'),
        series('storeplane_leader{pod="op-1"}', '0x40'),
        series('storeplane_workqueue_depth{pod="op-1"}', '200x40'),
      ],
      [
        quiet('StoreplaneWorkqueueBacklog', '29m'),
        fires('StoreplaneWorkqueueBacklog', '31m', { severity: 'warning', pod: 'op-0' }, { $value: '30' }),
      ],
    ),
    unit(
      'standbys alone: long queues, no leader, no backlog alert',
      [
        series('storeplane_leader{pod="op-1"}', '0x40'),
        series('storeplane_workqueue_depth{pod="op-1"}', '200x40'),
      ],
      [quiet('StoreplaneWorkqueueBacklog', '35m')],
    ),
    unit(
      'one API request in seven is a 500',
      [
        series('storeplane_api_process_start_time_seconds{pod="api-0"}', '1x30'),
        requests('/api/v1/stores', '200', '0+60x30'),
        requests('/api/v1/stores', '500', '0+10x30'),
      ],
      [
        quiet('StoreplaneApiAbsent', '20m'),
        quiet('StoreplaneApiErrorRatio', '9m'),
        fires('StoreplaneApiErrorRatio', '11m', crit, { '$value | humanizePercentage': '14.29%' }),
      ],
    ),
    unit(
      'many 4xx are client errors, not an API error ratio',
      [requests('/api/v1/stores', '200', '0+60x30'), requests('/api/v1/stores/:name', '404', '0+60x30')],
      [quiet('StoreplaneApiErrorRatio', '20m')],
    ),
    unit(
      'requests take 1 to 2.5s',
      ['0.25', '1', '2.5', '5', '+Inf'].map((le) =>
        bucket('/api/v1/stores', le, Number(le) <= 1 ? '0x30' : '0+10x30'),
      ),
      [
        quiet('StoreplaneApiSlow', '14m'),
        // Linear interpolation in the (1, 2.5] bucket: 1 + 1.5 * 0.95.
        fires('StoreplaneApiSlow', '16m', warn, { '$value | humanizeDuration': '2.425s' }),
      ],
    ),
    unit(
      'the live stream lasts minutes by design; other requests are fast',
      [
        ...['0.25', '1', '2.5', '5', '+Inf'].map((le) => bucket('/api/v1/stores', le, '0+10x30')),
        ...['0.25', '1', '2.5', '5'].map((le) => bucket('/api/v1/stores/stream', le, '0x30')),
        bucket('/api/v1/stores/stream', '+Inf', '0+50x30'),
      ],
      [quiet('StoreplaneApiSlow', '20m')],
    ),
    unit(
      'two bad-credential requests a second',
      [series('storeplane_api_auth_failures_total{pod="api-0", reason="login"}', '0+120x30')],
      [
        // rate() divides by the whole 5m window: a counter that starts at 0 passes 1/s at 3m,
        // so the 10m `for` ends at 13m.
        quiet('StoreplaneApiAuthFailures', '12m'),
        fires('StoreplaneApiAuthFailures', '14m', warn, { '$value | humanize': '2' }),
      ],
    ),
    unit(
      'a trickle of failed logins',
      [series('storeplane_api_auth_failures_total{pod="api-0", reason="login"}', '0+30x30')],
      [quiet('StoreplaneApiAuthFailures', '20m')],
    ),
  ];
}

// --- the Grafana dashboard ---

interface Panel {
  id?: number;
  type?: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: { expr?: string; refId?: string; datasource?: { uid?: string } }[];
  panels?: Panel[];
}
interface Dashboard {
  uid?: string;
  schemaVersion?: number;
  templating?: { list: { name: string; type: string; query?: string }[] };
  panels: Panel[];
}

const allPanels = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
const targetsOf = () =>
  allPanels(dashboard.panels).flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p, target: t })));

/** Grafana's built-in variables, replaced by what Grafana would put there. */
const grafanaVariables: Record<string, string> = {
  __rate_interval: '5m',
  __interval: '1m',
  __range: '6h',
  __range_s: '21600',
};
function substituteGrafanaVariables(expr: string): string {
  return expr.replace(/\$\{?(\w+)\}?/g, (m, name: string) => {
    const v = grafanaVariables[name];
    if (v === undefined) throw new Error(`unknown Grafana variable ${m} in ${expr}`);
    return v;
  });
}

describe('platform chart: Grafana dashboard', () => {
  it('asks for its Prometheus data source through ${datasource}, on every panel and target', () => {
    expect(dashboard.uid).toBe('storeplane-platform');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dashboard.templating?.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
    );
    const panels = allPanels(dashboard.panels);
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels.filter((q) => q.type !== 'row')) {
      expect(p.datasource?.uid, p.title).toBe('${datasource}');
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) expect(t.datasource?.uid, p.title).toBe('${datasource}');
    }
    // What the operator's on-call looks at first.
    const titles = panels.map((p) => p.title ?? '');
    for (const want of [
      /stores by phase/i,
      /provisioning time/i,
      /reconcile errors/i,
      /work queue/i,
      /helm action/i,
      /leader/i,
      /request rate/i,
      /error ratio/i,
      /latency/i,
      /authentication/i,
      /rate limited/i,
      /quota/i,
    ])
      expect(
        titles.some((t) => want.test(t)),
        String(want),
      ).toBe(true);
  });

  it('every target expression passes promtool check rules (as recording rules)', async () => {
    const rules = targetsOf().map(({ panel, target }, i) => ({
      record: `storeplane_dashboard:panel${panel.id}_${target.refId}:${i}`,
      expr: substituteGrafanaVariables(target.expr ?? ''),
    }));
    expect(rules.length).toBeGreaterThanOrEqual(15);
    const file = scratch('dashboard-rules.yaml', { groups: [{ name: 'dashboard', rules }] });
    const r = await run(['check', 'rules', file]);
    expect(r.out).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(r.code).toBe(0);
  });
});

// --- metric and label names against what the code exports ---

interface SeriesDefinition {
  labels: Set<string>;
}

/** Every series name the operator's and the API's registries expose, with its label names. */
function exportedSeries(): Map<string, SeriesDefinition> {
  const registries = [createMetrics(() => []).registry, apiMetrics(() => undefined).registry];
  const out = new Map<string, SeriesDefinition>();
  for (const m of registries.flatMap((r) => r.getMetricsAsArray())) {
    const {
      name,
      type,
      labelNames = [],
    } = m as unknown as { name: string; type: string; labelNames?: string[] };
    const add = (series: string, extra: string[] = []) => {
      const def = out.get(series) ?? { labels: new Set<string>() };
      for (const l of [...labelNames, ...extra]) def.labels.add(l);
      out.set(series, def);
    };
    if (type === 'histogram') {
      add(`${name}_bucket`, ['le']);
      add(`${name}_count`);
      add(`${name}_sum`);
    } else if (type === 'summary') {
      add(name, ['quantile']);
      add(`${name}_count`);
      add(`${name}_sum`);
    } else add(name);
  }
  return out;
}

/** Labels Prometheus (with the Prometheus Operator's ServiceMonitor) adds to every scraped series. */
const targetLabels = ['job', 'instance', 'namespace', 'pod', 'service', 'container', 'endpoint'];

const keywords = new Set([
  ...['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool'],
  ...['offset', 'inf', 'nan'],
]);

/**
 * What a PromQL expression reads: metric names, the label names of its matchers and groupings,
 * and the matchers' values. A small lexer, enough for the expressions of this chart; the grammar
 * itself is promtool's business (the tests above).
 */
function promqlNames(expr: string) {
  const matchers: { metric: string; label: string; value: string }[] = [];
  for (const sel of expr.matchAll(/([a-zA-Z_:][\w:]*)?\s*\{([^}]*)\}/g))
    for (const m of (sel[2] ?? '').matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g))
      matchers.push({ metric: sel[1] ?? '', label: m[1] ?? '', value: m[2] ?? '' });
  const grouping = [...expr.matchAll(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g)]
    .flatMap((g) => (g[1] ?? '').split(','))
    .map((l) => l.trim())
    .filter(Boolean);
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\b\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:ms|s|m|h|d|w|y)?\b/gi, ' ');
  const metrics = [...bare.matchAll(/([a-zA-Z_:][\w:]*)(\s*\()?/g)]
    .filter((t) => !t[2] && !keywords.has((t[1] ?? '').toLowerCase()))
    .map((t) => t[1] ?? '');
  return { metrics: [...new Set(metrics)], matchers, grouping };
}

/** What is wrong with an expression's names, as readable lines (empty: nothing). */
function nameProblems(expr: string, exported: Map<string, SeriesDefinition>): string[] {
  const { metrics, matchers, grouping } = promqlNames(expr);
  const problems: string[] = [];
  const known = new Set(targetLabels);
  for (const m of metrics) {
    const def = exported.get(m);
    if (!def) problems.push(`unknown metric ${m}`);
    else for (const l of def.labels) known.add(l);
  }
  for (const { metric, label, value } of matchers) {
    const labels = exported.get(metric)?.labels;
    if (labels && !labels.has(label) && !targetLabels.includes(label))
      problems.push(`${metric} has no label ${label}`);
    if (label === 'phase')
      for (const p of value.split('|'))
        if (!(phases as readonly string[]).includes(p)) problems.push(`no phase ${p}`);
    if (label === 'route' && !apiSource().includes(`'${value}'`))
      problems.push(`the API has no route ${value}`);
  }
  for (const l of grouping) if (!known.has(l)) problems.push(`no metric of the expression has label ${l}`);
  return problems;
}

let apiSourceCache: string | undefined;
/** The API's TypeScript sources, concatenated: routes are registered as string literals there. */
function apiSource(): string {
  const read = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? read(join(dir, e.name))
        : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
          ? [readFileSync(join(dir, e.name), 'utf8')]
          : [],
    );
  return (apiSourceCache ??= read(join(repoRoot, 'src', 'api')).join('\n'));
}

describe('platform chart: metric and label names', () => {
  const exported = exportedSeries();

  it("the operator's and the API's own metrics pass promtool check metrics", async () => {
    const operator = createMetrics(() => []);
    operator.provisioningSeconds.observe({ engine: 'medusa', outcome: 'ready' }, 120);
    operator.reconcileErrors.inc({ stage: 'checking the workloads' });
    operator.helmSeconds.observe({ action: 'upgrade', outcome: 'ok' }, 3);
    operator.kubeRequests.inc({ verb: 'get', resource: 'pods', dry_run: 'false' });
    const api = apiMetrics(() => undefined);
    api.requestDuration.observe({ route: '/api/v1/stores', method: 'GET', status: '200' }, 0.01);
    api.authFailures.inc({ reason: 'login' });
    api.rateLimited.inc({ limit: 'global' });
    api.quotaRefusals.inc({ limit: 'storesPerUser' });
    for (const [name, registry] of [
      ['operator', operator.registry],
      ['api', api.registry],
    ] as const) {
      const file = scratch(`${name}.prom`, await registry.metrics());
      const r = await new Promise<{ code: number; out: string }>((resolve) => {
        const child = execFile(promtool, ['check', 'metrics'], (err, stdout, stderr) =>
          resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
        );
        child.stdin?.end(readFileSync(join(work, file)));
      });
      // Exit 3 is lint findings, 1 a parse error. prom-client's own default gauges
      // nodejs_active_{handles,requests,resources}_total are named like counters upstream: not ours.
      expect([0, 3], r.out).toContain(r.code);
      const findings = r.out
        .split('\n')
        .filter((l) => l.trim() && !/_nodejs_active_\w+_total non-counter/.test(l));
      expect(findings, name).toEqual([]);
    }
  });

  it('the exported names include what the rules are about', () => {
    for (const n of [
      'storeplane_stores',
      'storeplane_store_provisioning_seconds_bucket',
      'storeplane_reconcile_errors_total',
      'storeplane_workqueue_depth',
      'storeplane_leader',
      'storeplane_api_http_request_duration_seconds_count',
      'storeplane_api_process_start_time_seconds',
    ])
      expect(exported.has(n), n).toBe(true);
    expect([...(exported.get('storeplane_api_http_request_duration_seconds_count')?.labels ?? [])]).toEqual(
      expect.arrayContaining(['route', 'method', 'status']),
    );
  });

  it('rules and dashboard read only metrics and labels that the operator and the API export', () => {
    const exprs = [
      ...alerts.map((a) => ({ where: `alert ${a.alert}`, expr: a.expr })),
      ...targetsOf().map(({ panel, target }) => ({
        where: `panel ${panel.title}`,
        expr: substituteGrafanaVariables(target.expr ?? ''),
      })),
    ];
    const problems = exprs.flatMap(({ where, expr }) =>
      nameProblems(expr, exported).map((p) => `${where}: ${p}`),
    );
    expect(problems).toEqual([]);
    // The check saw every metric at least once across rules and dashboard.
    const used = new Set(exprs.flatMap(({ expr }) => promqlNames(expr).metrics));
    expect(used.size).toBeGreaterThanOrEqual(12);
  });

  it('the name check can fail: a misspelled metric, a wrong label, an unknown phase and route', () => {
    expect(
      nameProblems(
        'sum by (stag) (rate(storeplane_reconcile_error_total[5m])) + max(storeplane_stores{phase="Stalled", engin="x"})' +
          ' + sum(rate(storeplane_api_http_request_duration_seconds_count{route="/api/v1/nope"}[5m]))',
        exported,
      ).sort(),
    ).toEqual(
      [
        'unknown metric storeplane_reconcile_error_total',
        'storeplane_stores has no label engin',
        'no phase Stalled',
        'the API has no route /api/v1/nope',
        'no metric of the expression has label stag',
      ].sort(),
    );
    expect(
      promqlNames('histogram_quantile(0.95, sum by (le) (rate(a_bucket{x="1"}[5m]))) > bool 1').metrics,
    ).toEqual(['a_bucket']);
  });
});
