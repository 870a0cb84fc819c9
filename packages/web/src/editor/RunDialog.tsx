/** Asks for the flow's input values before a run. */
import { useState } from 'react';
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input } from '@fluentui/react-components';
import type { VariableDeclDoc } from '../api/types.js';

export function RunDialog(props: { inputs: Record<string, VariableDeclDoc>; onClose(): void; onRun(inputs: Record<string, unknown>): void }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  function run() {
    const out: Record<string, unknown> = {};
    for (const [name, d] of Object.entries(props.inputs)) {
      const text = values[name];
      if (text === undefined || text === '') {
        if (d.required && d.default === undefined) return setError(`Fill in ${name}.`);
        continue;
      }
      if (d.type === 'list' || d.type === 'object') {
        try {
          out[name] = JSON.parse(text);
        } catch {
          return setError(`${name} must be JSON (a ${d.type}).`);
        }
      } else if (d.type === 'number') {
        if (Number.isNaN(Number(text))) return setError(`${name} must be a number.`);
        out[name] = Number(text);
      } else if (d.type === 'boolean') out[name] = text === 'true';
      else out[name] = text;
    }
    props.onRun(out);
  }
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Run flow</DialogTitle>
          <DialogContent>
            {Object.entries(props.inputs).map(([name, d]) => (
              <Field key={name} label={name} hint={`${d.type}${d.description ? ` — ${d.description}` : ''}`} required={d.required}>
                <Input type={d.sensitive ? 'password' : 'text'} value={values[name] ?? ''} onChange={(_, v) => setValues((o) => ({ ...o, [name]: v.value }))} />
              </Field>
            ))}
            {error && <p role="alert">{error}</p>}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={run}>
              Run
            </Button>
            <Button onClick={props.onClose}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
