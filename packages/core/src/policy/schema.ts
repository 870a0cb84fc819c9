/**
 * The data-loss-prevention policy file (DESIGN §7), written once with
 * TypeBox; `Policy` is derived from it. `parsePolicyText` / `checkPolicy`
 * report the first problem with its JSON pointer (and line:column for text)
 * and what to change; checks the schema cannot express (a connector in two
 * groups, a rule that is neither allow nor deny) are made here too.
 */
import Type, { type Static } from 'typebox';
import Schema from 'typebox/schema';
import { PatchbayError } from '../errors.js';
import { parseJsonText } from '../flow/parse.js';
import { SourceMap, pointerSegment } from '../flow/location.js';

export const POLICY_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$';
export const CONNECTOR_GROUPS = ['business', 'nonBusiness', 'blocked'] as const;
export type ConnectorGroup = (typeof CONNECTOR_GROUPS)[number];

const Names = (description: string) => Type.Array(Type.String({ minLength: 1 }), { description });

const RuleSchema = Type.Object(
  {
    allow: Type.Optional(Type.String({ minLength: 1, description: 'URL pattern to allow; `*` is a wildcard.' })),
    deny: Type.Optional(Type.String({ minLength: 1, description: 'URL pattern to refuse; `*` is a wildcard.' })),
  },
  { additionalProperties: false, description: 'One rule: exactly one of allow or deny.' },
);

const EndpointSchema = Type.Object(
  {
    connector: Type.Optional(
      Type.String({ minLength: 1, description: "Rules for this connector's calls (e.g. http)." }),
    ),
    desktopModule: Type.Optional(
      Type.String({ minLength: 1, description: "Rules for this desktop module's actions (e.g. Web)." }),
    ),
    rules: Type.Array(RuleSchema, { minItems: 1, description: 'In order; the first matching rule decides.' }),
  },
  { additionalProperties: false },
);

export const policySchema = Type.Object(
  {
    name: Type.String({ pattern: POLICY_NAME_PATTERN, description: 'Unique name of the policy.' }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    environments: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'Environments the policy applies to; ["*"] (or "*") for all.',
    }),
    connectors: Type.Optional(
      Type.Object(
        {
          business: Type.Optional(Names('Connector ids classified Business.')),
          nonBusiness: Type.Optional(Names('Connector ids classified Non-business.')),
          blocked: Type.Optional(Names('Connector ids that may not be used.')),
          default: Type.Optional(Type.Enum([...CONNECTOR_GROUPS], { description: 'Group of unlisted connectors.' })),
        },
        { additionalProperties: false },
      ),
    ),
    desktopActions: Type.Optional(
      Type.Object(
        {
          blockedModules: Type.Optional(Names('Action modules (the id before the dot), e.g. System, Scripting.')),
          blockedActions: Type.Optional(Names('Single action ids, e.g. File.Delete.')),
        },
        { additionalProperties: false },
      ),
    ),
    endpoints: Type.Optional(Type.Array(EndpointSchema)),
  },
  { additionalProperties: false, $id: 'patchbay/policy@1' },
);

export type Policy = Static<typeof policySchema>;
export type EndpointRule = Static<typeof RuleSchema>;

interface RawError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

interface Problem {
  pointer: string;
  message: string;
  hint: string;
  key?: string;
}

const GROUPS_HINT = 'Use business, nonBusiness or blocked.';

function describe(e: RawError): Problem {
  const at = e.instancePath || '/';
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = ((e.params.additionalProperties as string[] | undefined) ?? [])[0] ?? '';
      return {
        pointer: `${e.instancePath}/${pointerSegment(key)}`,
        key,
        message: `Unknown property "${key}" at ${at}.`,
        hint: 'Remove it or check its spelling against docs/security.md.',
      };
    }
    case 'required': {
      const missing = ((e.params.requiredProperties as string[] | undefined) ?? [])[0] ?? '';
      const hints: Record<string, string> = {
        name: 'Add "name": a unique name such as "Production".',
        environments: 'Add "environments": a list of environment names, or ["*"] for all.',
        rules: 'Add "rules": e.g. [{ "allow": "https://*.contoso.com/*" }, { "deny": "*" }].',
      };
      return {
        pointer: e.instancePath,
        message: `Missing property "${missing}" at ${at}.`,
        hint: hints[missing] ?? `Add "${missing}".`,
      };
    }
    case 'pattern':
      return {
        pointer: e.instancePath,
        message: `${at} is not a valid policy name.`,
        hint: 'Use letters, digits, dots, dashes and underscores, starting with a letter or digit (at most 100).',
      };
    case 'enum':
      return {
        pointer: e.instancePath,
        message: `${at} must be one of business, nonBusiness, blocked.`,
        hint: GROUPS_HINT,
      };
    case 'minItems':
      return {
        pointer: e.instancePath,
        message: `${at} must not be empty.`,
        hint: e.instancePath.endsWith('/rules')
          ? 'Give at least one rule, e.g. { "deny": "*" }.'
          : 'List at least one environment, or ["*"] for all.',
      };
    case 'type':
      return { pointer: e.instancePath, message: `${at} ${e.message}.`, hint: 'See the example in docs/security.md.' };
    default:
      return { pointer: e.instancePath, message: `${at} ${e.message}.`, hint: 'See the example in docs/security.md.' };
  }
}

function schemaProblems(doc: unknown): Problem[] {
  if (Schema.Check(policySchema, doc)) return [];
  const [, errors] = Schema.Errors(policySchema, doc) as [boolean, RawError[]];
  return errors
    .filter((e) => e.keyword !== 'boolean' && e.keyword !== 'anyOf')
    .sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length)
    .map(describe);
}

function semanticProblems(p: Policy): Problem[] {
  const out: Problem[] = [];
  const seen = new Map<string, string>();
  for (const g of CONNECTOR_GROUPS) {
    (p.connectors?.[g] ?? []).forEach((id, i) => {
      const before = seen.get(id.toLowerCase());
      if (before && before !== g)
        out.push({
          pointer: `/connectors/${g}/${i}`,
          message: `Connector "${id}" is listed in both "${before}" and "${g}".`,
          hint: 'Keep it in one group only.',
        });
      seen.set(id.toLowerCase(), g);
    });
  }
  if (p.environments.includes('*') && p.environments.length > 1)
    out.push({
      pointer: '/environments',
      message: '"*" (every environment) cannot be combined with environment names.',
      hint: 'Use ["*"] alone, or list the environments.',
    });
  (p.endpoints ?? []).forEach((e, i) => {
    const at = `/endpoints/${i}`;
    if ((e.connector === undefined) === (e.desktopModule === undefined))
      out.push({
        pointer: at,
        message: `${at} must name exactly one of "connector" or "desktopModule".`,
        hint: 'E.g. { "connector": "http", "rules": [...] } or { "desktopModule": "Web", "rules": [...] }.',
      });
    e.rules.forEach((r, j) => {
      if ((r.allow === undefined) === (r.deny === undefined))
        out.push({
          pointer: `${at}/rules/${j}`,
          message: `${at}/rules/${j} must have exactly one of "allow" or "deny".`,
          hint: 'Write { "allow": "https://*.contoso.com/*" } or { "deny": "*" }.',
        });
    });
  });
  return out;
}

function invalid(problems: Problem[], opts: { file?: string; text?: string }): PatchbayError {
  const p = problems[0];
  const pos =
    opts.text === undefined
      ? undefined
      : new SourceMap(opts.text).locate(p.key ? p.pointer.replace(/\/[^/]*$/, '') : p.pointer, p.key);
  const more =
    problems.length > 1 ? ` (${problems.length - 1} more problem${problems.length > 2 ? 's' : ''} after this one)` : '';
  const where = opts.file ? `${opts.file}${pos ? `:${pos.line}:${pos.column}` : ''}: ` : '';
  return new PatchbayError('policy.invalid', `${where}${p.message}${more}`, {
    place: { file: opts.file, pointer: p.pointer, line: pos?.line, column: pos?.column },
    hint: p.hint,
  });
}

/** Checks a parsed policy document; returns it as a Policy (with `"*"` environments as `["*"]`) or throws `policy.invalid`. */
export function checkPolicy(doc: unknown, opts: { file?: string; text?: string } = {}): Policy {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new PatchbayError('policy.invalid', 'A policy must be a JSON object.', {
      place: { file: opts.file, pointer: '' },
      hint: 'See the example in docs/security.md.',
    });
  const input = doc as Record<string, unknown>;
  const normalised = input.environments === '*' ? { ...input, environments: ['*'] } : input;
  const problems = schemaProblems(normalised);
  if (problems.length) throw invalid(problems, opts);
  const policy = normalised as Policy;
  const more = semanticProblems(policy);
  if (more.length) throw invalid(more, opts);
  return policy;
}

/** Parses a policy file's text: JSON syntax errors with line:column, then `checkPolicy`. */
export function parsePolicyText(text: string, file?: string): Policy {
  let doc: unknown;
  try {
    doc = parseJsonText(text, file);
  } catch (e) {
    if (!(e instanceof PatchbayError)) throw e;
    throw new PatchbayError('policy.invalid', e.message, {
      place: e.place,
      hint: 'Fix the JSON syntax at that place; a policy file is one JSON object.',
    });
  }
  return checkPolicy(doc, { ...(file ? { file } : {}), text });
}
