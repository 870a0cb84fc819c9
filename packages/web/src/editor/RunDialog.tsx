/**
 * Asks for what a run needs before it starts: the flow's input values (a
 * field per input, by type) and, for each connection reference that would
 * not resolve for this runner, one of the runner's own compatible connections.
 */
import { useState } from 'react';
import {
  Button,
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
  Switch,
  Text,
  Textarea,
  makeStyles,
} from '@fluentui/react-components';
import type { VariableDeclDoc } from '../api/types.js';
import { readRunInputs } from './runInputs.js';
import type { RunNeed } from './runNeeds.js';

const useStyles = makeStyles({ form: { display: 'flex', flexDirection: 'column', gap: '10px' } });

const HINTS: Partial<Record<VariableDeclDoc['type'], string>> = {
  number: 'A number, e.g. 42 or 2.5',
  list: 'JSON list, e.g. [1, 2, 3]',
  object: 'JSON object, e.g. {"Key": "value"}',
  datetime: 'ISO date and time, e.g. 2025-01-31T09:00:00Z',
  binary: 'Base64 text',
  any: 'Text, or JSON',
};

function InputField({
  name,
  decl,
  value,
  onChange,
}: {
  name: string;
  decl: VariableDeclDoc;
  value: string;
  onChange(v: string): void;
}) {
  const hint = [decl.type, HINTS[decl.type], decl.description].filter(Boolean).join(' — ');
  if (decl.type === 'boolean') {
    return (
      <Field hint={hint}>
        <Switch label={name} checked={value === 'true'} onChange={(_, d) => onChange(d.checked ? 'true' : 'false')} />
      </Field>
    );
  }
  return (
    <Field label={name} hint={hint} required={decl.required && decl.default === undefined}>
      {decl.type === 'list' || decl.type === 'object' ? (
        <Textarea
          value={value}
          onChange={(_, d) => onChange(d.value)}
          resize="vertical"
          placeholder={decl.default !== undefined ? JSON.stringify(decl.default) : undefined}
        />
      ) : (
        <Input
          type={decl.sensitive ? 'password' : 'text'}
          inputMode={decl.type === 'number' ? 'decimal' : undefined}
          value={value}
          placeholder={decl.default !== undefined ? String(decl.default) : undefined}
          onChange={(_, d) => onChange(d.value)}
        />
      )}
    </Field>
  );
}

export function RunDialog(props: {
  inputs: Record<string, VariableDeclDoc>;
  needs?: RunNeed[];
  onClose(): void;
  onRun(inputs: Record<string, unknown>, connections: Record<string, string>): void;
}) {
  const s = useStyles();
  const needs = props.needs ?? [];
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      Object.entries(props.inputs)
        .filter(([, d]) => d.type === 'boolean')
        .map(([n, d]) => [n, d.default === true ? 'true' : 'false']),
    ),
  );
  const [picked, setPicked] = useState<Record<string, string>>(() =>
    Object.fromEntries(needs.filter((n) => n.choices.length === 1).map((n) => [n.logicalName, n.choices[0].id])),
  );
  const [error, setError] = useState('');
  const missing = needs.filter((n) => !picked[n.logicalName]);

  function run() {
    const read = readRunInputs(props.inputs, values);
    if (!read.ok) return setError(read.message);
    if (missing.length) return setError(`Choose a connection for ${missing.map((n) => n.displayName).join(', ')}.`);
    props.onRun(read.inputs, Object.fromEntries(needs.map((n) => [n.logicalName, picked[n.logicalName]])));
  }

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && props.onClose()}>
      <DialogSurface aria-label="Run flow">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            run();
          }}
        >
          <DialogBody>
            <DialogTitle>Run flow</DialogTitle>
            <DialogContent className={s.form}>
              {Object.entries(props.inputs).map(([name, d]) => (
                <InputField
                  key={name}
                  name={name}
                  decl={d}
                  value={values[name] ?? ''}
                  onChange={(v) => setValues((o) => ({ ...o, [name]: v }))}
                />
              ))}
              {needs.length > 0 && <Text weight="semibold">Connections</Text>}
              {needs.map((n) => (
                <Field
                  key={n.logicalName}
                  label={`Connection for ${n.displayName}`}
                  hint={`${n.reason} Run with one of your own ${n.connectorId} connections.`}
                  required
                >
                  {n.choices.length === 0 ? (
                    <Text role="alert">
                      You have no {n.connectorId} connection in this environment: create one on the Connections page,
                      then run again.
                    </Text>
                  ) : (
                    <Dropdown
                      placeholder="Choose a connection"
                      value={n.choices.find((c) => c.id === picked[n.logicalName])?.displayName ?? ''}
                      selectedOptions={picked[n.logicalName] ? [picked[n.logicalName]] : []}
                      onOptionSelect={(_, d) =>
                        d.optionValue && setPicked((o) => ({ ...o, [n.logicalName]: d.optionValue ?? '' }))
                      }
                    >
                      {n.choices.map((c) => (
                        <Option key={c.id} value={c.id} text={c.displayName}>
                          {`${c.displayName} (${c.owner.email}, ${c.status})`}
                        </Option>
                      ))}
                    </Dropdown>
                  )}
                </Field>
              ))}
              {error && <Text role="alert">{error}</Text>}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit">
                Run
              </Button>
              <Button onClick={props.onClose}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
