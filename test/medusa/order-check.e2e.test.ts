import { describe, expect, inject, it } from 'vitest';
import { AdminApi } from './harness/admin.ts';
import { entryPoint } from './harness/engine.ts';
import { freePort, run } from './harness/processes.ts';
import { join } from 'node:path';

const medusa = inject('medusa');
const orderCheck = (args: string[], env: Record<string, string> = medusa.engineEnv) =>
  run(entryPoint, ['order-check', ...args], { env, log: join(medusa.resultsDir, 'order-check.log') });

describe('storeplane-medusa order-check', () => {
  it('places an order through the Store API and finds it through the admin API', async () => {
    const result = await orderCheck(['--url', medusa.backendUrl]);
    expect(result.code, result.output).toBe(0);
    const summary = JSON.parse(result.output.trim().split('\n').at(-1)!) as {
      ok: boolean;
      orderId: string;
      displayId: number;
    };
    expect(summary.ok).toBe(true);

    // Independently of the script: the store owner sees that order, paid for with the system provider.
    const admin = await AdminApi.login(medusa.backendUrl, medusa.adminEmail, medusa.adminPassword);
    const order = await admin.order(summary.orderId);
    expect(order).toMatchObject({
      display_id: summary.displayId,
      email: 'order-check@example.com',
      currency_code: 'usd',
    });
    expect(order.items).toHaveLength(1);
    expect(order.shipping_methods?.map((m) => m.name)).toEqual(['Standard Shipping']);
  });

  it('fails at the first step, with its name, when the backend is unreachable', async () => {
    const result = await orderCheck(['--url', `http://127.0.0.1:${await freePort()}`]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('order check failed at step "read store config"');
  });

  it('fails at the admin step with wrong admin credentials, after placing the order', async () => {
    const result = await orderCheck(['--url', medusa.backendUrl], {
      ...medusa.engineEnv,
      MEDUSA_ADMIN_PASSWORD: 'wrong-password',
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('✓ order #');
    expect(result.output).toMatch(/order check failed at step "admin login": .*HTTP 401/);
  });

  it('explains its usage when the URL or admin credentials are missing', async () => {
    const noUrl = await orderCheck([]);
    expect(noUrl.code).toBe(2);
    expect(noUrl.output).toContain('missing --url <backend base url>');
    const { MEDUSA_ADMIN_PASSWORD: _, ...withoutPassword } = medusa.engineEnv;
    const noPassword = await orderCheck(['--url', medusa.backendUrl], withoutPassword);
    expect(noPassword.code).toBe(2);
    expect(noPassword.output).toContain('MEDUSA_ADMIN_EMAIL and MEDUSA_ADMIN_PASSWORD must be set');
  });
});
