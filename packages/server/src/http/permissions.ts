/**
 * The rights a route declares next to its schema
 * (`config: { access, permission }`). `access` is what the auth hook checks
 * before the body is read (signed in or not, the owner account); `permission`
 * names the right the platform service then enforces, so the permission
 * matrix test (`routes/permission-matrix.test.ts`) knows what to expect of
 * every route. Every `/api` route declares one; the documentation routes
 * (`/api/docs…`) are public.
 */
export const PERMISSIONS = {
  public: 'anyone, signed in or not',
  'signed-in': 'any signed-in user (their own account, tokens and runs; the catalogs; the policies)',
  'env.list': 'any signed-in user; the answer lists only the environments they have a role in',
  'env.read': 'a role (user, maker or admin) in the environment',
  'env.make': 'the maker or admin role in the environment',
  'env.admin': 'the admin role in the environment (the instance owner is admin everywhere)',
  'instance.owner': 'the instance owner',
  'roles.read': 'the admin role in some environment (the answer covers those)',
  'audit.read': 'the admin role in some environment (the entries of those)',
  'policy.manage': 'the admin role in every environment the policy names',
  'connection.use': 'whoever may use the connection (its owner, or a user it is shared with), with a role there',
  'connection.owner': "the connection's owner, with a role in its environment",
  'connector.manage': "the imported connector's owner or a co-owner who is a maker there, or an environment admin",
  'reference.manage': 'a maker who created the reference or co-owns every flow that uses it, or an environment admin',
  'flow.read': 'whoever the flow is visible to (owner, co-owner, run-only), with a role in its environment',
  'flow.run': 'whoever the flow is visible to, with a role in its environment',
  'flow.edit': "the flow's owner or a co-owner, with the maker role in its environment",
  'flow.owner': "the flow's owner",
  'run.read': 'who started the run, or the owner or a co-owner of its flow',
  'machine.token': 'a registered machine, by its machine token (Authorization: Machine …); no user account',
} as const;

export type Permission = keyof typeof PERMISSIONS;

/** A route as the permission matrix sees it. */
export interface RouteDeclaration {
  method: string;
  url: string;
  access: string | undefined;
  permission: Permission | undefined;
}
