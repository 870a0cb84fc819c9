/** Schemas several routes files share (path parameters, common answers). */
import { Type } from 'typebox';

export const EnvParams = Type.Object({
  env: Type.String({ minLength: 1, maxLength: 40, description: 'Environment name (`default`, `dev`, …).' }),
});
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
export const Empty = Type.Object({});
/** A JSON object whose shape the platform checks (flow definitions, connector models). */
export const AnyObject = Type.Record(Type.String(), Type.Unknown());

export const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
});

export function userView(u: { id: string; email: string; displayName: string; role: string }) {
  return { id: u.id, email: u.email, displayName: u.displayName, role: u.role };
}
