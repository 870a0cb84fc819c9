/** The Variables pane: input and output variables (add, edit, remove) and the flow variables the steps produce. */
import { useState } from 'react';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  Option,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, DeleteRegular, EditRegular } from '@fluentui/react-icons';
import { VALUE_TYPES, isValidVariableName, type ValueType } from '@patchbay/core';
import type { VariableDeclDoc } from '../api/types.js';
import type { FlowVariable } from './variables.js';

const useStyles = makeStyles({
  pane: {
    padding: '8px',
    overflowY: 'auto',
    height: '100%',
    boxSizing: 'border-box',
    display: 'flex',
    flexDirection: 'column',
    gap: '6px',
  },
  head: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    fontWeight: tokens.fontWeightSemibold,
  },
  item: { display: 'flex', alignItems: 'center', gap: '4px' },
  fields: { listStyleType: 'none', margin: 0, paddingLeft: tokens.spacingHorizontalM },
  name: { flexGrow: 1, fontFamily: tokens.fontFamilyMonospace },
  type: { color: tokens.colorNeutralForeground3 },
  value: {
    display: 'block',
    fontFamily: tokens.fontFamilyMonospace,
    color: tokens.colorNeutralForeground2,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
});

type Kind = 'inputs' | 'outputs';

function DeclDialog(props: {
  kind: Kind;
  name?: string;
  decl?: VariableDeclDoc;
  taken: string[];
  onSave(name: string, decl: VariableDeclDoc): void;
  onClose(): void;
}) {
  const [name, setName] = useState(props.name ?? '');
  const [type, setType] = useState<ValueType>(props.decl?.type ?? 'text');
  const [required, setRequired] = useState(props.decl?.required ?? false);
  const [sensitive, setSensitive] = useState(props.decl?.sensitive ?? false);
  const [description, setDescription] = useState(props.decl?.description ?? '');
  const bad = name !== '' && !isValidVariableName(name);
  const taken = name !== props.name && props.taken.includes(name);
  const noun = props.kind === 'inputs' ? 'input' : 'output';
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{props.name ? `Edit ${noun} variable` : `New ${noun} variable`}</DialogTitle>
          <DialogContent>
            <Field
              label="Variable name"
              required
              validationState={bad || taken ? 'error' : 'none'}
              validationMessage={
                bad
                  ? 'Letters, digits and underscores, not starting with a digit.'
                  : taken
                    ? 'That name is already used.'
                    : undefined
              }
            >
              <Input value={name} onChange={(_, d) => setName(d.value)} />
            </Field>
            <Field label="Data type">
              <Dropdown
                value={type}
                selectedOptions={[type]}
                onOptionSelect={(_, d) => d.optionValue && setType(d.optionValue as ValueType)}
              >
                {VALUE_TYPES.map((t) => (
                  <Option key={t} value={t}>
                    {t}
                  </Option>
                ))}
              </Dropdown>
            </Field>
            <Field label="Description">
              <Input value={description} onChange={(_, d) => setDescription(d.value)} />
            </Field>
            {props.kind === 'inputs' && (
              <Checkbox label="Required" checked={required} onChange={(_, d) => setRequired(Boolean(d.checked))} />
            )}
            <Checkbox
              label="Mark as sensitive"
              checked={sensitive}
              onChange={(_, d) => setSensitive(Boolean(d.checked))}
            />
          </DialogContent>
          <DialogActions>
            <Button
              appearance="primary"
              disabled={!name || bad || taken}
              onClick={() => {
                const decl: VariableDeclDoc = { ...(props.decl ?? {}), type };
                if (props.kind === 'inputs') decl.required = required;
                if (sensitive) decl.sensitive = true;
                else delete decl.sensitive;
                if (description) decl.description = description;
                else delete decl.description;
                props.onSave(name, decl);
              }}
            >
              Save
            </Button>
            <Button onClick={props.onClose}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function DeclList(props: {
  kind: Kind;
  title: string;
  decls: Record<string, VariableDeclDoc>;
  taken: string[];
  readOnly: boolean;
  onChange(next: Record<string, VariableDeclDoc>): void;
}) {
  const s = useStyles();
  const [editing, setEditing] = useState<{ name?: string } | null>(null);
  const noun = props.kind === 'inputs' ? 'input' : 'output';
  return (
    <section aria-label={props.title}>
      <div className={s.head}>
        <Text weight="semibold">{props.title}</Text>
        {!props.readOnly && (
          <Button
            size="small"
            appearance="subtle"
            icon={<AddRegular />}
            aria-label={`Add ${noun} variable`}
            onClick={() => setEditing({})}
          />
        )}
      </div>
      {Object.entries(props.decls).map(([name, d]) => (
        <div key={name} className={s.item}>
          <Text className={s.name}>{name}</Text>
          <Text className={s.type}>{d.type}</Text>
          {!props.readOnly && (
            <>
              <Button
                size="small"
                appearance="subtle"
                icon={<EditRegular />}
                aria-label={`Edit ${noun} ${name}`}
                onClick={() => setEditing({ name })}
              />
              <Button
                size="small"
                appearance="subtle"
                icon={<DeleteRegular />}
                aria-label={`Remove ${noun} ${name}`}
                onClick={() =>
                  props.onChange(Object.fromEntries(Object.entries(props.decls).filter(([k]) => k !== name)))
                }
              />
            </>
          )}
        </div>
      ))}
      {editing && (
        <DeclDialog
          kind={props.kind}
          name={editing.name}
          decl={editing.name ? props.decls[editing.name] : undefined}
          taken={props.taken}
          onClose={() => setEditing(null)}
          onSave={(name, decl) => {
            const entries = Object.entries(props.decls).map(([k, v]): [string, VariableDeclDoc] =>
              k === editing.name ? [name, decl] : [k, v],
            );
            if (!editing.name) entries.push([name, decl]);
            props.onChange(Object.fromEntries(entries));
            setEditing(null);
          }}
        />
      )}
    </section>
  );
}

/** A value as the pane shows it: text as it is, anything else as JSON (a data table as its columns and rows), cut short. */
function preview(v: unknown, max: number): string {
  let text: string;
  if (typeof v === 'string') text = v;
  else {
    try {
      text = JSON.stringify(v) ?? String(v);
    } catch {
      text = String(v);
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function VariablesPane(props: {
  inputs: Record<string, VariableDeclDoc>;
  outputs: Record<string, VariableDeclDoc>;
  produced: FlowVariable[];
  /** Final values of the flow's variables in the last run that ended (sensitive ones as ***). */
  lastValues?: Record<string, unknown>;
  readOnly: boolean;
  onInputs(next: Record<string, VariableDeclDoc>): void;
  onOutputs(next: Record<string, VariableDeclDoc>): void;
}) {
  const s = useStyles();
  const taken = [...Object.keys(props.inputs), ...Object.keys(props.outputs)];
  return (
    <aside className={s.pane} aria-label="Variables">
      <DeclList
        kind="inputs"
        title="Input variables"
        decls={props.inputs}
        taken={taken}
        readOnly={props.readOnly}
        onChange={props.onInputs}
      />
      <DeclList
        kind="outputs"
        title="Output variables"
        decls={props.outputs}
        taken={taken}
        readOnly={props.readOnly}
        onChange={props.onOutputs}
      />
      <section aria-label="Flow variables">
        <div className={s.head}>
          <Text weight="semibold">Flow variables</Text>
        </div>
        {props.produced.length === 0 && <Text className={s.type}>No variables yet.</Text>}
        {props.produced.map((v) => (
          <div key={v.name} data-produced-by={v.producedBy}>
            <div className={s.item}>
              <Text className={s.name}>{v.name}</Text>
              <Text className={s.type}>{v.type}</Text>
            </div>
            {props.lastValues && Object.hasOwn(props.lastValues, v.name) && (
              <Text
                className={s.value}
                aria-label={`Last value of ${v.name}`}
                title={preview(props.lastValues[v.name], 2000)}
              >
                {preview(props.lastValues[v.name], 80)}
              </Text>
            )}
            {v.fields && v.fields.length > 0 && (
              <ul aria-label={`Fields of ${v.name}`} className={s.fields}>
                {v.fields.map((f) => (
                  <li key={f.path} className={s.item}>
                    <Text className={s.name}>
                      {v.name}.{f.path}
                    </Text>
                    <Text className={s.type}>{f.type}</Text>
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </section>
    </aside>
  );
}
