/**
 * The dialog of an "Else if" (its condition) or a "Case" (operator and value),
 * opened when one is added and by double-clicking its line, as PAD opens an
 * action's dialog.
 */
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
  makeStyles,
} from '@fluentui/react-components';
import { CONDITION_OPERATOR_TITLES, SWITCH_OPERATORS, type SwitchOperator } from '@patchbay/core';
import type { BranchSettings } from './branches.js';
import { VariablePicker } from './ParamField.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '10px' },
  row: { display: 'flex', gap: '4px', alignItems: 'center' },
  grow: { flexGrow: 1 },
});

const TEXT_OPERATORS = new Set<SwitchOperator>([
  'contains',
  'notContains',
  'startsWith',
  'notStartsWith',
  'endsWith',
  'notEndsWith',
]);

/** A text field with the variable picker at its right, as every field of PAD's dialogs has. */
function Operand(props: {
  label: string;
  hint?: string;
  value: string;
  variables: string[];
  onChange(v: string): void;
  autoFocus?: boolean;
  required?: boolean;
}) {
  const s = useStyles();
  return (
    <Field label={props.label} hint={props.hint} required={props.required}>
      {(fieldProps) => (
        <div className={s.row}>
          <Input
            {...fieldProps}
            className={s.grow}
            value={props.value}
            onChange={(_, d) => props.onChange(d.value)}
            autoFocus={props.autoFocus}
          />
          <VariablePicker
            label={props.label}
            variables={props.variables}
            onPick={(v) => props.onChange(`${props.value}%${v}%`)}
          />
        </div>
      )}
    </Field>
  );
}

function OperatorField(props: { value: SwitchOperator; onChange(op: SwitchOperator): void }) {
  return (
    <Field label="Operator">
      <Dropdown
        value={CONDITION_OPERATOR_TITLES[props.value]}
        selectedOptions={[props.value]}
        onOptionSelect={(_, d) => d.optionValue && props.onChange(d.optionValue as SwitchOperator)}
      >
        {SWITCH_OPERATORS.map((op) => (
          <Option key={op} value={op}>
            {CONDITION_OPERATOR_TITLES[op]}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}

export function BranchDialog(props: {
  kind: 'elseIf' | 'case';
  initial: BranchSettings;
  variables: string[];
  onCancel(): void;
  onSave(settings: BranchSettings): void;
}) {
  const s = useStyles();
  // An Else if saved as one expression keeps that form; a new one uses PAD's operands.
  const expressionForm = props.kind === 'elseIf' && props.initial.condition !== undefined && !props.initial.operator;
  const [condition, setCondition] = useState(props.initial.condition ?? '');
  const [first, setFirst] = useState(props.initial.first ?? '');
  const [operator, setOperator] = useState<SwitchOperator>(props.initial.operator ?? '=');
  const [second, setSecond] = useState(props.initial.second ?? '');
  const [value, setValue] = useState(props.initial.value ?? '');
  const [ignoreCase, setIgnoreCase] = useState(
    props.initial.ignoreCase ?? (props.kind === 'case' && TEXT_OPERATORS.has(props.initial.operator ?? '=')),
  );
  const unary = operator === 'isEmpty' || operator === 'isNotEmpty';
  const title = props.kind === 'elseIf' ? 'Else if' : 'Case';
  const ready = props.kind === 'elseIf' ? (expressionForm ? condition.trim() !== '' : first.trim() !== '') : true;

  function save() {
    if (!ready) return;
    if (props.kind === 'case') props.onSave({ operator, value, ignoreCase });
    else if (expressionForm) props.onSave({ condition: condition.trim() });
    else props.onSave({ first: first.trim(), operator, second, ignoreCase });
  }

  const ignoreCaseBox = (
    <Checkbox label="Ignore case" checked={ignoreCase} onChange={(_, d) => setIgnoreCase(d.checked === true)} />
  );

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && props.onCancel()}>
      <DialogSurface aria-label={title}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent className={s.form}>
              {expressionForm ? (
                <Operand
                  label="Condition"
                  hint="An expression such as %Count > 3%. Runs these actions when the If and every Else if above it are false and this is true."
                  value={condition}
                  variables={props.variables}
                  onChange={setCondition}
                  autoFocus
                  required
                />
              ) : props.kind === 'elseIf' ? (
                <>
                  <Operand
                    label="First operand"
                    value={first}
                    variables={props.variables}
                    onChange={setFirst}
                    autoFocus
                    required
                  />
                  <OperatorField value={operator} onChange={setOperator} />
                  {!unary && (
                    <Operand
                      label="Second operand"
                      hint="Text, a number, or %expression%."
                      value={second}
                      variables={props.variables}
                      onChange={setSecond}
                    />
                  )}
                  {ignoreCaseBox}
                </>
              ) : (
                <>
                  <OperatorField value={operator} onChange={setOperator} />
                  {!unary && (
                    <Operand
                      label="Value to compare"
                      hint="Text, a number, or %expression%."
                      value={value}
                      variables={props.variables}
                      onChange={setValue}
                      autoFocus
                    />
                  )}
                  {ignoreCaseBox}
                </>
              )}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={!ready}>
                Save
              </Button>
              <Button onClick={props.onCancel}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
