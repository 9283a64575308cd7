/**
 * The store's admin account from MEDUSA_ADMIN_EMAIL / MEDUSA_ADMIN_PASSWORD. Does what
 * `medusa user` does (user, super-admin role when RBAC is on, emailpass identity), but an
 * existing user is left alone instead of failing, so seeding can run on every upgrade.
 */
import type { MedusaContainer } from '@medusajs/framework/types';
import { FeatureFlag, Modules } from '@medusajs/framework/utils';
import { createUsersWorkflow } from '@medusajs/medusa/core-flows';
import type { Changes } from './store-setup';

export async function ensureAdminUser(c: MedusaContainer, env: NodeJS.ProcessEnv, changes: Changes) {
  const email = env.MEDUSA_ADMIN_EMAIL?.trim();
  const password = env.MEDUSA_ADMIN_PASSWORD;
  if (!email || !password) throw new Error('MEDUSA_ADMIN_EMAIL and MEDUSA_ADMIN_PASSWORD must be set');

  const users = c.resolve(Modules.USER);
  const auth = c.resolve(Modules.AUTH);
  let [user] = await users.listUsers({ email });
  if (!user) {
    const roles: string[] = [];
    if (FeatureFlag.isFeatureEnabled('rbac')) {
      const [superAdmin] = await c.resolve(Modules.RBAC).listRbacRoles({ id: 'role_super_admin' });
      if (superAdmin) roles.push(superAdmin.id);
    }
    const { result } = await createUsersWorkflow(c).run({ input: { users: [{ email, roles }] } });
    user = result[0]!;
    changes.push(`admin user ${email}`);
  }

  const identities = await auth.listProviderIdentities({ entity_id: email, provider: 'emailpass' });
  if (identities.length > 0) return;
  const { authIdentity, error } = await auth.register('emailpass', { body: { email, password } });
  if (error || !authIdentity)
    throw new Error(`could not register the admin login: ${error ?? 'no identity'}`);
  await auth.updateAuthIdentities({ id: authIdentity.id, app_metadata: { user_id: user.id } });
  changes.push(`admin login for ${email}`);
}
