/**
 * The action configuration dialog, as PAD's: parameters (advanced ones
 * folded), the connection reference of a connector action, "Variables
 * produced" with on/off and renaming, and "On error". The step is only
 * added or changed on Save.
 */
import { useEffect, useState } from 'react';
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Divider,
  Dropdown,
  Field,
  Input,
  Option,
  Spinner,
  Switch,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { isValidVariableName } from '@patchbay/core';
import { useOperationAction, useReferences } from '../api/queries.js';
import type { ActionInfo, ConnectorSummary, Reference, StepDoc } from '../api/types.js';
import { ErrorBar } from '../pages/common.js';
import { ParamField } from './ParamField.js';
import { DynamicFields } from './DynamicFields.js';
import { ReferencePicker } from './ReferencePicker.js';
import { NewReferenceDialog } from './NewReferenceDialog.js';

const useStyles = makeStyles({
  surface: { maxWidth: '720px', width: '90vw' },
  body: { display: 'flex', flexDirection: 'column', gap: '10px', maxHeight: '70vh', overflowY: 'auto' },
  produced: { display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '6px 12px', alignItems: 'center' },
  section: { fontWeight: tokens.fontWeightSemibold },
  row: { display: 'flex', gap: '8px', alignItems: 'end', flexWrap: 'wrap' },
});

type Then = 'stop' | 'continue' | 'repeat' | 'subflow';
const THEN_LABELS: Record<Then, string> = {
  stop: 'Stop the flow run',
  continue: 'Continue flow run (go to next action)',
  repeat: 'Repeat action',
  subflow: 'Run subflow, then continue',
};

export interface ActionDialogProps {
  env: string;
  title: string;
  step: StepDoc;
  /** Standard actions and blocks; connector actions load theirs. */
  info?: ActionInfo;
  connector?: ConnectorSummary;
  variables: string[];
  subflows: string[];
  isNew: boolean;
  onSave(step: StepDoc): void;
  onCancel(): void;
}

export function ActionDialog(props: ActionDialogProps) {
  const s = useStyles();
  const { step, env, connector } = props;
  const opInfo = useOperationAction(env, step.connector, step.operation);
  const info = step.connector ? opInfo.data : props.info;
  const references = useReferences(env);
  const compatible: Reference[] = (references.data ?? []).filter((r) => r.connectorId === step.connector);

  const [params, setParams] = useState<Record<string, unknown>>({ ...(step.params ?? {}) });
  const [produces, setProduces] = useState<Record<string, string | false>>({ ...(step.produces ?? {}) });
  const [reference, setReference] = useState<string | undefined>(step.connectionReference);
  const [comment, setComment] = useState(step.comment ?? '');
  const [retryOn, setRetryOn] = useState(Boolean(step.onError?.retry));
  const [retry, setRetry] = useState(String(step.onError?.retry ?? 1));
  const [interval, setIntervalText] = useState(String(step.onError?.retryIntervalSeconds ?? 2));
  const [then, setThen] = useState<Then>(
    step.onError?.runSubflow
      ? 'subflow'
      : step.onError?.then === 'continue' || step.onError?.then === 'repeat'
        ? step.onError.then
        : 'stop',
  );
  const [subflow, setSubflow] = useState(step.onError?.runSubflow ?? '');
  const [pagingOn, setPagingOn] = useState(Boolean(step.pagination));
  const [threshold, setThreshold] = useState(String(step.pagination?.threshold ?? 5000));
  const [addingRef, setAddingRef] = useState(false);
  const [promptDismissed, setPromptDismissed] = useState(false);
  const [error, setError] = useState<string>('');

  // PAD picks the only compatible reference for a new connector action.
  useEffect(() => {
    if (props.isNew && step.connector && !reference && compatible.length === 1) setReference(compatible[0].logicalName);
  }, [props.isNew, step.connector, reference, compatible]);

  const needsPrompt =
    props.isNew &&
    Boolean(step.connector) &&
    references.isSuccess &&
    compatible.length === 0 &&
    !reference &&
    !promptDismissed &&
    !addingRef;
  const visible = (info?.params ?? []).filter((p) => !p.internal);
  const basic = visible.filter((p) => !p.advanced);
  const advanced = visible.filter((p) => p.advanced);
  const dynamic =
    step.connector && step.operation
      ? { env, connectorId: step.connector, operationId: step.operation, connectionReference: reference, params }
      : undefined;

  const labels = Object.fromEntries(visible.map((p) => [p.name, p.displayName || p.name]));
  function field(p: (typeof visible)[number]) {
    if (p.dynamicSchema && dynamic)
      return (
        <DynamicFields
          key={p.name}
          spec={p}
          labels={labels}
          source={dynamic}
          params={params}
          variables={props.variables}
          onChange={(name, v) =>
            setParams((old) => {
              const next = { ...old };
              if (v === undefined) delete next[name];
              else next[name] = v;
              return next;
            })
          }
        />
      );
    return (
      <ParamField
        key={p.name}
        spec={p}
        value={params[p.name]}
        variables={props.variables}
        dynamic={dynamic}
        onChange={(v) =>
          setParams((old) => {
            const next = { ...old };
            if (v === undefined) delete next[p.name];
            else next[p.name] = v;
            return next;
          })
        }
      />
    );
  }

  function save() {
    for (const p of info?.produces ?? []) {
      const name = produces[p.key];
      if (name !== false && name !== undefined && !isValidVariableName(name)) {
        setError(
          `The variable name "${name}" is not valid: use letters, digits and underscores, not starting with a digit.`,
        );
        return;
      }
    }
    const missing = basic
      .concat(advanced)
      // A parameter with a dynamic schema is filled field by field; the service checks it.
      .filter(
        (p) =>
          p.required &&
          !p.dynamicSchema &&
          p.default === undefined &&
          (params[p.name] === undefined || params[p.name] === ''),
      );
    if (missing.length) {
      setError(`Fill in ${missing.map((p) => `"${p.displayName}"`).join(', ')}.`);
      return;
    }
    if (step.connector && !reference) {
      setError('Choose a connection reference with the socket button, or add a new one.');
      return;
    }
    const limit = Number(threshold);
    if (pagingOn && info?.pageable && !(Number.isInteger(limit) && limit >= 1 && limit <= 100000)) {
      setError('The pagination threshold is the most items to fetch: a whole number from 1 to 100,000.');
      return;
    }
    const next: StepDoc = { ...step, params };
    const producesOut = Object.fromEntries(Object.entries(produces).filter(([, v]) => v !== ''));
    if (Object.keys(producesOut).length) next.produces = producesOut;
    else delete next.produces;
    if (step.connector) next.connectionReference = reference;
    if (pagingOn && info?.pageable) next.pagination = { threshold: limit };
    else delete next.pagination;
    if (comment.trim()) next.comment = comment.trim();
    else delete next.comment;
    const onError: NonNullable<StepDoc['onError']> = {};
    if (retryOn) {
      onError.retry = Math.max(0, Math.floor(Number(retry) || 0));
      onError.retryIntervalSeconds = Math.max(0, Number(interval) || 0);
    }
    if (then === 'continue' || then === 'repeat') onError.then = then;
    if (then === 'subflow' && subflow) {
      onError.runSubflow = subflow;
      onError.then = 'continue';
    }
    if (Object.keys(onError).length) next.onError = onError;
    else delete next.onError;
    props.onSave(next);
  }

  return (
    <>
      <Dialog open={!addingRef && !needsPrompt} onOpenChange={(_, d) => !d.open && props.onCancel()}>
        <DialogSurface className={s.surface} aria-label={props.title}>
          <DialogBody>
            <DialogTitle>{props.title}</DialogTitle>
            <DialogContent className={s.body}>
              {info?.description && <Text>{info.description}</Text>}
              {step.connector && (
                <ReferencePicker
                  references={compatible}
                  value={reference}
                  onPick={setReference}
                  onAddNew={() => setAddingRef(true)}
                />
              )}
              {step.connector && opInfo.isPending && <Spinner size="small" label="Loading the operation…" />}
              <ErrorBar error={opInfo.error} />
              <Text className={s.section}>Parameters</Text>
              {basic.length === 0 && advanced.length === 0 && <Text>This action has no parameters.</Text>}
              {basic.map(field)}
              {advanced.length > 0 && (
                <Accordion collapsible>
                  <AccordionItem value="advanced">
                    <AccordionHeader>Advanced</AccordionHeader>
                    <AccordionPanel>{advanced.map(field)}</AccordionPanel>
                  </AccordionItem>
                </Accordion>
              )}
              <Field label="Comment">
                <Textarea value={comment} onChange={(_, d) => setComment(d.value)} resize="vertical" />
              </Field>
              {(info?.produces.length ?? 0) > 0 && (
                <>
                  <Divider />
                  <Text className={s.section}>Variables produced</Text>
                  <div className={s.produced}>
                    {info?.produces.map((p) => {
                      const current = produces[p.key];
                      const name = typeof current === 'string' ? current : p.defaultName;
                      const bad = current !== false && !isValidVariableName(name);
                      return [
                        <Checkbox
                          key={`${p.key}-on`}
                          aria-label={`Produce ${p.key}`}
                          checked={current !== false}
                          onChange={(_, d) =>
                            setProduces((old) => ({
                              ...old,
                              [p.key]: d.checked ? (name === p.defaultName ? '' : name) : false,
                            }))
                          }
                        />,
                        <Field
                          key={`${p.key}-name`}
                          validationState={bad ? 'error' : 'none'}
                          validationMessage={
                            bad ? 'Letters, digits and underscores, not starting with a digit.' : p.description
                          }
                        >
                          <Input
                            aria-label={`Variable name for ${p.key}`}
                            disabled={current === false}
                            value={name}
                            contentBefore="%"
                            contentAfter={`% (${p.type})`}
                            onChange={(_, d) =>
                              setProduces((old) => ({ ...old, [p.key]: d.value === p.defaultName ? '' : d.value }))
                            }
                          />
                        </Field>,
                      ];
                    })}
                  </div>
                </>
              )}
              {info?.pageable && (
                <>
                  <Divider />
                  <Text className={s.section}>Settings</Text>
                  <div className={s.row}>
                    <Switch
                      label="Pagination"
                      checked={pagingOn}
                      onChange={(_, d) => setPagingOn(Boolean(d.checked))}
                    />
                    <Field label="Threshold" hint="The most items to fetch over all pages. Off: only the first page.">
                      <Input
                        type="number"
                        min={1}
                        max={100000}
                        disabled={!pagingOn}
                        value={threshold}
                        onChange={(_, d) => setThreshold(d.value)}
                      />
                    </Field>
                  </div>
                </>
              )}
              <Divider />
              <Accordion collapsible defaultOpenItems={step.onError ? ['onError'] : []}>
                <AccordionItem value="onError">
                  <AccordionHeader>On error</AccordionHeader>
                  <AccordionPanel>
                    <Checkbox
                      label="Retry action if an error occurs"
                      checked={retryOn}
                      onChange={(_, d) => setRetryOn(Boolean(d.checked))}
                    />
                    <div className={s.row}>
                      <Field label="Number of retries">
                        <Input
                          type="number"
                          min={0}
                          disabled={!retryOn}
                          value={retry}
                          onChange={(_, d) => setRetry(d.value)}
                        />
                      </Field>
                      <Field label="Interval in seconds">
                        <Input
                          type="number"
                          min={0}
                          disabled={!retryOn}
                          value={interval}
                          onChange={(_, d) => setIntervalText(d.value)}
                        />
                      </Field>
                    </div>
                    <Field label="Then">
                      <Dropdown
                        value={THEN_LABELS[then]}
                        selectedOptions={[then]}
                        onOptionSelect={(_, d) => d.optionValue && setThen(d.optionValue as Then)}
                      >
                        {(Object.keys(THEN_LABELS) as Then[]).map((k) => (
                          <Option key={k} value={k}>
                            {THEN_LABELS[k]}
                          </Option>
                        ))}
                      </Dropdown>
                    </Field>
                    {then === 'subflow' && (
                      <Field label="Subflow to run">
                        <Dropdown
                          value={subflow}
                          selectedOptions={[subflow]}
                          onOptionSelect={(_, d) => setSubflow(d.optionValue ?? '')}
                        >
                          {props.subflows.map((n) => (
                            <Option key={n} value={n}>
                              {n}
                            </Option>
                          ))}
                        </Dropdown>
                      </Field>
                    )}
                  </AccordionPanel>
                </AccordionItem>
              </Accordion>
              {error && <ErrorBar error={new Error(error)} />}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={save} disabled={Boolean(step.connector) && !info}>
                Save
              </Button>
              <Button onClick={props.onCancel}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
      {needsPrompt && connector && (
        <Dialog open onOpenChange={(_, d) => !d.open && props.onCancel()}>
          <DialogSurface aria-label="Connection reference needed">
            <DialogBody>
              <DialogTitle>Connection reference needed</DialogTitle>
              <DialogContent>
                This {connector.displayName} action needs a connection reference, and there is none for{' '}
                {connector.displayName} in this environment yet. Add one to continue.
              </DialogContent>
              <DialogActions>
                <Button appearance="primary" onClick={() => setAddingRef(true)}>
                  Add new connection reference
                </Button>
                <Button
                  onClick={() => {
                    setPromptDismissed(true);
                  }}
                >
                  Not now
                </Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
      {addingRef && connector && (
        <NewReferenceDialog
          env={env}
          connector={connector}
          onClose={() => setAddingRef(false)}
          onCreated={(ref) => {
            setReference(ref.logicalName);
            setAddingRef(false);
            setPromptDismissed(true);
          }}
        />
      )}
    </>
  );
}
