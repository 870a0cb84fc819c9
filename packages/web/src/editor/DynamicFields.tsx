/**
 * The fields of a parameter whose shape the service gives
 * (`x-ms-dynamic-schema`): once the parameters it depends on are chosen, the
 * action dialog asks the server (through the step's connection reference)
 * and shows one field per property, as Power Automate does.
 */
import { Field, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { valueTypeOfSchema, type ParamSpec } from '@patchbay/core';
import { useDynamicSchema, type DynamicFieldInfo } from '../api/queries.js';
import { ErrorBar } from '../pages/common.js';
import { ParamField, type DynamicSource } from './ParamField.js';

const useStyles = makeStyles({
  group: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    paddingLeft: tokens.spacingHorizontalM,
    borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke2}`,
  },
});

/** A dynamic field as a parameter of the step (its name is the property path, `address/city`). */
export function fieldSpec(f: DynamicFieldInfo): ParamSpec {
  const spec: ParamSpec = {
    name: f.name,
    type: valueTypeOfSchema(f.type, f.format),
    displayName: f.displayName || f.name,
    in: 'body',
  };
  if (f.description) spec.description = f.description;
  if (f.required) spec.required = true;
  if (f.enum?.length) spec.options = f.enum.map((v) => String(v));
  if (f.visibility === 'advanced') spec.advanced = true;
  return spec;
}

export function DynamicFields(props: {
  spec: ParamSpec;
  /** Display names of the step's parameters, for the "fill in first" hint. */
  labels: Record<string, string>;
  source: DynamicSource;
  params: Record<string, unknown>;
  variables: string[];
  onChange(name: string, value: unknown): void;
}) {
  const s = useStyles();
  const { spec, source } = props;
  const dependsOn = spec.dynamicSchema?.dependsOn ?? [];
  const q = useDynamicSchema({ ...source, parameter: spec.name }, dependsOn);
  const label = spec.displayName || spec.name;
  const plain = (
    <ParamField
      spec={spec}
      value={props.params[spec.name]}
      variables={props.variables}
      dynamic={source}
      onChange={(v) => props.onChange(spec.name, v)}
    />
  );
  if (q.isError)
    return (
      <>
        <ErrorBar error={q.error} />
        {plain}
      </>
    );
  if (!q.data) {
    const missing = dependsOn.filter((n) => {
      const v = source.params[n];
      return v === undefined || v === '' || (typeof v === 'string' && v.includes('%'));
    });
    const why = !source.connectionReference
      ? `Choose a connection reference to load the fields of ${label}.`
      : missing.length
        ? `Choose ${missing.map((n) => `"${props.labels[n] ?? n}"`).join(', ')} to load the fields of ${label}.`
        : undefined;
    return (
      <Field label={label}>
        {q.isFetching ? <Spinner size="tiny" label={`Loading the fields of ${label}…`} /> : <Text>{why ?? ''}</Text>}
      </Field>
    );
  }
  const fields = q.data.fields.filter((f) => f.visibility !== 'internal').map(fieldSpec);
  return (
    <div role="group" aria-label={`Fields of ${label}`} className={s.group}>
      <Text weight="semibold">{label}</Text>
      {fields.length === 0 && <Text>The service gives no fields for these choices.</Text>}
      {fields.map((f) => (
        <ParamField
          key={f.name}
          spec={f}
          value={props.params[f.name]}
          variables={props.variables}
          onChange={(v) => props.onChange(f.name, v)}
        />
      ))}
    </div>
  );
}
