/**
 * The dialog of an "Else if" (its condition) or a "Case" (operator and value),
 * opened when one is added and by double-clicking its line, as PAD opens an
 * action's dialog.
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
  makeStyles,
} from '@fluentui/react-components';
import { SWITCH_OPERATORS, type SwitchOperator } from '@patchbay/core';
import type { BranchSettings } from './branches.js';
import { VariablePicker } from './ParamField.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '10px' },
  row: { display: 'flex', gap: '4px', alignItems: 'center' },
  grow: { flexGrow: 1 },
});

const OPERATOR_TITLES: Record<SwitchOperator, string> = {
  '=': 'Equal to (=)',
  '<>': 'Not equal to (<>)',
  '<': 'Less than (<)',
  '<=': 'Less than or equal to (<=)',
  '>': 'Greater than (>)',
  '>=': 'Greater than or equal to (>=)',
  contains: 'Contains',
  notContains: 'Does not contain',
  startsWith: 'Starts with',
  notStartsWith: 'Does not start with',
  endsWith: 'Ends with',
  notEndsWith: 'Does not end with',
  isEmpty: 'Is empty',
  isNotEmpty: 'Is not empty',
};

export function BranchDialog(props: {
  kind: 'elseIf' | 'case';
  initial: BranchSettings;
  variables: string[];
  onCancel(): void;
  onSave(settings: BranchSettings): void;
}) {
  const s = useStyles();
  const [condition, setCondition] = useState(props.initial.condition ?? '');
  const [operator, setOperator] = useState<SwitchOperator>(props.initial.operator ?? '=');
  const [value, setValue] = useState(props.initial.value ?? '');
  const unary = operator === 'isEmpty' || operator === 'isNotEmpty';
  const title = props.kind === 'elseIf' ? 'Else if' : 'Case';
  const ready = props.kind === 'elseIf' ? condition.trim() !== '' : true;

  function save() {
    if (!ready) return;
    props.onSave(props.kind === 'elseIf' ? { condition: condition.trim() } : { operator, value });
  }

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
              {props.kind === 'elseIf' ? (
                <Field
                  label="Condition"
                  hint="An expression such as %Count > 3%. Runs these actions when the If and every Else if above it are false and this is true."
                  required
                >
                  {(fieldProps) => (
                    <div className={s.row}>
                      <Input
                        {...fieldProps}
                        className={s.grow}
                        value={condition}
                        onChange={(_, d) => setCondition(d.value)}
                        autoFocus
                      />
                      <VariablePicker
                        label="Condition"
                        variables={props.variables}
                        onPick={(v) => setCondition((c) => `${c}%${v}%`)}
                      />
                    </div>
                  )}
                </Field>
              ) : (
                <>
                  <Field label="Operator">
                    <Dropdown
                      value={OPERATOR_TITLES[operator]}
                      selectedOptions={[operator]}
                      onOptionSelect={(_, d) => d.optionValue && setOperator(d.optionValue as SwitchOperator)}
                    >
                      {SWITCH_OPERATORS.map((op) => (
                        <Option key={op} value={op}>
                          {OPERATOR_TITLES[op]}
                        </Option>
                      ))}
                    </Dropdown>
                  </Field>
                  {!unary && (
                    <Field label="Value to compare" hint="Text, a number, or %expression%.">
                      {(fieldProps) => (
                        <div className={s.row}>
                          <Input
                            {...fieldProps}
                            className={s.grow}
                            value={value}
                            onChange={(_, d) => setValue(d.value)}
                            autoFocus
                          />
                          <VariablePicker
                            label="Value to compare"
                            variables={props.variables}
                            onPick={(v) => setValue((c) => `${c}%${v}%`)}
                          />
                        </div>
                      )}
                    </Field>
                  )}
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
