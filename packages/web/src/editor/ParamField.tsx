/**
 * One input of the action dialog, chosen from the parameter's spec: text with
 * a variable picker, numbers, a switch for booleans, a dropdown for options,
 * and a combo box filled from the connector's dynamic values.
 */
import { useState } from 'react';
import {
  Button,
  Combobox,
  Dropdown,
  Field,
  Input,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Option,
  Switch,
  makeStyles,
} from '@fluentui/react-components';
import { BracesVariableRegular } from '@fluentui/react-icons';
import type { ParamSpec } from '@patchbay/core';
import { api, enc, errorText } from '../api/client.js';
import type { OptionItem } from '../api/types.js';

const useStyles = makeStyles({ row: { display: 'flex', gap: '4px', alignItems: 'center' }, grow: { flexGrow: 1 } });

export interface DynamicSource {
  env: string;
  connectorId: string;
  operationId: string;
  connectionReference?: string;
  params: Record<string, unknown>;
}

function options(spec: ParamSpec): OptionItem[] {
  return (spec.options ?? []).map((o) => (typeof o === 'string' ? { value: o, title: o } : o));
}

/** Text shown in a field for a stored value. */
export function toText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The value stored for typed text: numbers stay numbers, everything else is a template. */
export function fromText(text: string, spec: ParamSpec): unknown {
  if (text === '') return undefined;
  if (spec.type === 'number' && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  return text;
}

export function VariablePicker({
  label,
  variables,
  onPick,
}: {
  label: string;
  variables: string[];
  onPick(name: string): void;
}) {
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <Button icon={<BracesVariableRegular />} title={`Insert a variable into ${label}`} />
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {variables.length === 0 && <MenuItem disabled>No variables yet</MenuItem>}
          {variables.map((v) => (
            <MenuItem key={v} onClick={() => onPick(v)}>
              {`%${v}%`}
            </MenuItem>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}

export function ParamField(props: {
  spec: ParamSpec;
  value: unknown;
  variables: string[];
  dynamic?: DynamicSource;
  onChange(v: unknown): void;
}) {
  const s = useStyles();
  const { spec, value, onChange } = props;
  const label = spec.displayName || spec.name;
  const [dyn, setDyn] = useState<{ items: OptionItem[]; error?: string; loading: boolean }>({
    items: [],
    loading: false,
  });
  const hint = spec.description;

  // A condition (a required boolean with no default, or If's and Loop condition's `condition`) is an expression such as %Count > 3%, as is any boolean already holding a template.
  const isExpression =
    spec.type === 'boolean' &&
    ((spec.required === true && spec.default === undefined) ||
      spec.name === 'condition' ||
      (typeof value === 'string' && value !== 'true' && value !== 'false'));
  if (spec.type === 'boolean' && !spec.options && !isExpression) {
    const checked = value === undefined ? spec.default === true : value === true || value === 'true';
    return (
      <Field hint={hint}>
        <Switch label={label} checked={checked} onChange={(_, d) => onChange(d.checked)} />
      </Field>
    );
  }

  if (spec.options && spec.options.length > 0) {
    const opts = options(spec);
    const current = toText(value ?? spec.default);
    return (
      <Field label={label} hint={hint} required={spec.required}>
        <Dropdown
          value={opts.find((o) => o.value === current)?.title ?? current}
          selectedOptions={[current]}
          onOptionSelect={(_, d) => onChange(d.optionValue)}
        >
          {opts.map((o) => (
            <Option key={o.value} value={o.value}>
              {o.title}
            </Option>
          ))}
        </Dropdown>
      </Field>
    );
  }

  if (spec.dynamicValues && props.dynamic) {
    const source = props.dynamic;
    const load = async () => {
      if (!source.connectionReference) {
        setDyn({ items: [], loading: false, error: 'Choose a connection reference to load the values.' });
        return;
      }
      setDyn((d) => ({ ...d, loading: true }));
      try {
        const items = await api<OptionItem[]>(
          'POST',
          `/api/envs/${enc(source.env)}/connectors/${enc(source.connectorId)}/operations/${enc(source.operationId)}/dynamic-values`,
          {
            parameter: spec.name,
            connectionReference: source.connectionReference,
            params: source.params,
          },
        );
        setDyn({ items, loading: false });
      } catch (e) {
        setDyn({ items: [], loading: false, error: errorText(e) });
      }
    };
    const text = toText(value);
    return (
      <Field
        label={label}
        hint={dyn.error ?? hint}
        validationState={dyn.error ? 'warning' : 'none'}
        required={spec.required}
      >
        <Combobox
          freeform
          value={dyn.items.find((i) => i.value === text)?.title ?? text}
          selectedOptions={[text]}
          onOpenChange={(_, d) => d.open && void load()}
          onOptionSelect={(_, d) => d.optionValue !== undefined && onChange(d.optionValue)}
          onChange={(e) => onChange(fromText(e.target.value, spec))}
          placeholder={dyn.loading ? 'Loading…' : undefined}
        >
          {dyn.items.map((i) => (
            <Option key={i.value} value={i.value}>
              {i.title}
            </Option>
          ))}
        </Combobox>
      </Field>
    );
  }

  const text = toText(value);
  return (
    <Field label={label} hint={hint} required={spec.required}>
      {(fieldProps) => (
        <div className={s.row}>
          <Input
            {...fieldProps}
            className={s.grow}
            value={text}
            type={spec.sensitive ? 'password' : 'text'}
            inputMode={spec.type === 'number' ? 'decimal' : undefined}
            placeholder={spec.default !== undefined ? toText(spec.default) : undefined}
            onChange={(_, d) => onChange(fromText(d.value, spec))}
          />
          {!spec.raw && (
            <VariablePicker label={label} variables={props.variables} onPick={(v) => onChange(`${text}%${v}%`)} />
          )}
        </div>
      )}
    </Field>
  );
}
