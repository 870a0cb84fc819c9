/**
 * The flow file format (`*.flow.json`, `schema: "patchbay/flow@1"`), written
 * once with TypeBox. The TypeScript types below are derived from it, and
 * `flowJsonSchema` is the same schema as plain JSON Schema for editors, the
 * CLI (`patchbay schema flow`) and `packages/core/schema/flow.schema.json`.
 */
import Type, { type Static } from 'typebox';
import { VALUE_TYPES } from '../values.js';

export const FLOW_SCHEMA_ID = 'patchbay/flow@1';

/** Variable, input and output names: letters, digits and underscores, not starting with a digit. */
export const NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';

const Name = (description: string) => Type.String({ pattern: NAME_PATTERN, description });
const Names = <T extends Type.TSchema>(value: T, description: string) =>
  Type.Record(Type.String({ pattern: NAME_PATTERN }), value, { additionalProperties: false, description });

const ValueTypeSchema = Type.Enum([...VALUE_TYPES], {
  description: 'text, number, boolean, list, object (custom object), datetime, binary or any.',
});

const ParamValue = Type.Unknown({
  description:
    'Strings are %…% templates; numbers, booleans and null are taken as they are; lists and objects are evaluated item by item.',
});

const InputDecl = Type.Object(
  {
    type: ValueTypeSchema,
    required: Type.Optional(Type.Boolean()),
    default: Type.Optional(Type.Unknown()),
    description: Type.Optional(Type.String()),
    sensitive: Type.Optional(Type.Boolean({ description: 'Redacted in events, run records and outputs.' })),
  },
  { additionalProperties: false },
);

const OutputDecl = Type.Object(
  {
    type: ValueTypeSchema,
    default: Type.Optional(Type.Unknown()),
    description: Type.Optional(Type.String()),
    sensitive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const VariableDecl = Type.Object(
  {
    type: Type.Optional(ValueTypeSchema),
    default: Type.Optional(Type.Unknown()),
    description: Type.Optional(Type.String()),
    sensitive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** What a policy does after an error: retries, then the extra rules and where the flow goes next. */
const policyFields = {
  retry: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 1000,
      description: 'Times to retry the step before the rest of the policy applies.',
    }),
  ),
  retryIntervalSeconds: Type.Optional(
    Type.Number({
      minimum: 0,
      description: 'Seconds between retries (default 2; longer when the service asks with Retry-After).',
    }),
  ),
  then: Type.Optional(
    Type.Enum(['stop', 'continue', 'repeat', 'goto'], {
      description:
        'After the retries: stop the flow (default), continue with the next step, repeat the step, or go to a label.',
    }),
  ),
  label: Type.Optional(Type.String({ description: 'The label to go to when `then` is "goto".' })),
  setVariable: Type.Optional(
    Type.Object({ name: Name('Variable to set.'), value: ParamValue }, { additionalProperties: false }),
  ),
  runSubflow: Type.Optional(Type.String({ description: 'A subflow to run when the error happens.' })),
};

/** PAD's "Advanced": a policy for some kinds of error only. */
const OnErrorRuleSchema = Type.Object(
  {
    when: Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })], {
      description:
        'Error codes (`connector.http`, `action.failed`, …) or groups (`connector`, `expression`, …) this rule handles.',
    }),
    status: Type.Optional(
      Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), {
        minItems: 1,
        description: 'Only errors with one of these HTTP statuses (connector errors).',
      }),
    ),
    ...policyFields,
  },
  { additionalProperties: false },
);

const OnErrorSchema = Type.Object(
  {
    ...policyFields,
    rules: Type.Optional(
      Type.Array(OnErrorRuleSchema, {
        description:
          'Per kind of error: the first rule that matches is the whole policy for that error; the fields above apply to errors no rule matches.',
      }),
    ),
  },
  { additionalProperties: false },
);

const RetrySchema = Type.Object(
  {
    count: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    intervalSeconds: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false, description: 'Connector steps: how the invoker retries 408/429/5xx responses.' },
);

const PaginationSchema = Type.Object(
  {
    threshold: Type.Integer({
      minimum: 1,
      maximum: 100000,
      description: 'The most items to gather over all pages (Power Platform allows up to 100,000).',
    }),
  },
  {
    additionalProperties: false,
    description:
      'Connector steps of pageable operations: follow next-page links until this many items are gathered. Without it only the first page is read.',
  },
);

export const SWITCH_OPERATORS = [
  '=',
  '<>',
  '<',
  '<=',
  '>',
  '>=',
  'contains',
  'notContains',
  'startsWith',
  'notStartsWith',
  'endsWith',
  'notEndsWith',
  'isEmpty',
  'isNotEmpty',
] as const;

const StepList = Type.Array(Type.Ref('Step'));

const StepSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ description: 'An optional stable id for the designer and run records.' })),
    action: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'A standard action or block id, e.g. Variables.Set, If, Loop.ForEach.',
      }),
    ),
    connector: Type.Optional(Type.String({ minLength: 1, description: 'Connector steps: the connector id.' })),
    operation: Type.Optional(Type.String({ minLength: 1, description: 'Connector steps: the operation id.' })),
    connectionReference: Type.Optional(
      Type.String({ minLength: 1, description: 'Connector steps: the logical name of the connection reference.' }),
    ),
    params: Type.Optional(Type.Record(Type.String(), ParamValue)),
    produces: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String({ pattern: NAME_PATTERN }), Type.Literal(false)]), {
        description: 'Rename a produced variable, or turn it off with false.',
      }),
    ),
    onError: Type.Optional(OnErrorSchema),
    retry: Type.Optional(RetrySchema),
    pagination: Type.Optional(PaginationSchema),
    disabled: Type.Optional(Type.Boolean()),
    comment: Type.Optional(Type.String()),
    then: Type.Optional(StepList),
    elseIf: Type.Optional(
      Type.Array(Type.Object({ condition: ParamValue, then: StepList }, { additionalProperties: false })),
    ),
    else: Type.Optional(StepList),
    cases: Type.Optional(
      Type.Array(
        Type.Object(
          {
            value: Type.Optional(ParamValue),
            values: Type.Optional(Type.Array(ParamValue)),
            operator: Type.Optional(Type.Enum([...SWITCH_OPERATORS])),
            do: StepList,
          },
          { additionalProperties: false },
        ),
      ),
    ),
    default: Type.Optional(StepList),
    do: Type.Optional(StepList),
    onBlockError: Type.Optional(OnErrorSchema),
  },
  { additionalProperties: false },
);

const SubflowSchema = Type.Object(
  {
    description: Type.Optional(Type.String()),
    inputs: Type.Optional(Names(InputDecl, 'Inputs the caller passes.')),
    outputs: Type.Optional(Names(OutputDecl, 'Variables handed back to the caller.')),
    variables: Type.Optional(Names(VariableDecl, 'Variables declared up front.')),
    steps: StepList,
  },
  { additionalProperties: false },
);

const RecordingSchema = Type.Object(
  {
    mode: Type.Optional(
      Type.Union([Type.Literal('all'), Type.Literal('summary'), Type.Literal('none')], {
        description:
          'all: every step in full; summary (default): the first `head` and last `tail` steps and every failed, retried or warned step in full, the rest as one aggregate per step path; none: no step records.',
      }),
    ),
    head: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1000000,
        description: 'Steps recorded in full from the start (default 1000).',
      }),
    ),
    tail: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1000000, description: 'Steps recorded in full at the end (default 100).' }),
    ),
  },
  { additionalProperties: false, description: 'How runs of this flow record their steps.' },
);

const FlowSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    schema: Type.Literal(FLOW_SCHEMA_ID),
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    inputs: Type.Optional(Names(InputDecl, 'Input variables.')),
    outputs: Type.Optional(Names(OutputDecl, 'Output variables.')),
    variables: Type.Optional(Names(VariableDecl, 'Flow variables declared up front.')),
    steps: StepList,
    subflows: Type.Optional(
      Type.Record(Type.String({ pattern: NAME_PATTERN }), Type.Ref('Subflow'), { additionalProperties: false }),
    ),
    recording: Type.Optional(RecordingSchema),
  },
  { additionalProperties: false },
);

const defs = { Step: StepSchema, Subflow: SubflowSchema, Flow: FlowSchema };
export const flowSchema = Type.Cyclic(defs, 'Flow');

export type Flow = Static<typeof flowSchema>;
export type Step = Static<Type.TCyclic<typeof defs, 'Step'>>;
export type Subflow = NonNullable<Flow['subflows']>[string];
export type OnErrorPolicy = Static<typeof OnErrorSchema>;
export type OnErrorRule = Static<typeof OnErrorRuleSchema>;
/** One policy without rules: the top level of `onError`, or one of its rules. */
export type ErrorHandling = Omit<OnErrorPolicy, 'rules'>;
export type InputDeclaration = Static<typeof InputDecl>;
export type OutputDeclaration = Static<typeof OutputDecl>;
export type VariableDeclaration = Static<typeof VariableDecl>;
export type SwitchCase = NonNullable<Step['cases']>[number];
export type SwitchOperator = (typeof SWITCH_OPERATORS)[number];

/** The flow schema as plain JSON Schema (2020-12), ready to print or publish. */
export const flowJsonSchema: Record<string, unknown> = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://patchbay.dev/schema/flow.schema.json',
  title: 'Patchbay desktop flow',
  ...(JSON.parse(JSON.stringify(flowSchema)) as Record<string, unknown>),
};
