/**
 * Policy templates from `apiProperties.json` (`policyTemplateInstances`).
 * Template ids are lower-cased (Power Platform compares them without case);
 * `x-ms-apimTemplate-operationName` becomes the policy's operation scope.
 */
import type { Operation, Policy } from '../model.js';
import { isObject, list, obj, str, strings, type Warnings } from './util.js';

/** Templates the invoker applies; others are kept and reported. */
export const APPLIED_POLICY_TEMPLATES = new Set([
  'setheader',
  'setqueryparameter',
  'routerequesttoendpoint',
  'dynamichosturl',
  'setproperty',
]);
const SCOPE_KEY = 'x-ms-apimtemplate-operationname';

export function extractPolicies(apiProperties: Record<string, unknown>, warnings: Warnings): Policy[] {
  const out: Policy[] = [];
  for (const [i, raw] of list(obj(apiProperties.properties).policyTemplateInstances).entries()) {
    if (!isObject(raw)) continue;
    const templateId = str(raw.templateId)?.toLowerCase();
    if (!templateId) {
      warnings.add(`Policy template ${i + 1} has no templateId; it was skipped.`);
      continue;
    }
    const parameters: Record<string, unknown> = {};
    let operations: string[] | undefined;
    for (const [k, v] of Object.entries(obj(raw.parameters))) {
      if (k.toLowerCase() === SCOPE_KEY) operations = strings(v);
      else parameters[k] = v;
    }
    const policy: Policy = { templateId, title: str(raw.title) ?? templateId, parameters };
    if (operations && operations.length > 0) policy.operations = operations;
    if (!APPLIED_POLICY_TEMPLATES.has(templateId))
      warnings.add(`Policy template "${templateId}" (${policy.title}) is kept but Patchbay does not apply it.`);
    out.push(policy);
  }
  return out;
}

/** Gives each operation the policies that apply to it; warns about scopes naming no operation. */
export function attachPolicies(operations: Operation[], policies: Policy[], warnings: Warnings): void {
  const ids = new Set(operations.map((o) => o.id));
  for (const p of policies)
    for (const id of p.operations ?? [])
      if (!ids.has(id))
        warnings.add(`Policy "${p.title}" names operation "${id}", which the definition does not have.`);
  for (const op of operations) op.policies = policies.filter((p) => !p.operations || p.operations.includes(op.id));
}
