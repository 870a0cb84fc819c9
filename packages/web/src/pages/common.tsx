/** Small pieces the pages share: a page frame, an error bar and a prompt dialog. */
import { useState, type ReactNode } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Title3,
  makeStyles,
} from '@fluentui/react-components';
import { errorText } from '../api/client.js';

const useStyles = makeStyles({
  page: { padding: '16px 24px', display: 'flex', flexDirection: 'column', gap: '12px' },
  head: { display: 'flex', alignItems: 'center', gap: '12px' },
  grow: { flexGrow: 1 },
});

export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  const s = useStyles();
  return (
    <section className={s.page} aria-label={title}>
      <div className={s.head}>
        <Title3 as="h1" className={s.grow}>
          {title}
        </Title3>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function ErrorBar({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>{errorText(error)}</MessageBarBody>
    </MessageBar>
  );
}

/** A dialog asking for one line of text. */
export function PromptDialog(props: {
  open: boolean;
  title: string;
  label: string;
  initial?: string;
  confirm: string;
  onClose(): void;
  onSubmit(value: string): Promise<void>;
}) {
  const [value, setValue] = useState(props.initial ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit() {
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(value.trim());
      props.onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog open={props.open} onOpenChange={(_, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <DialogBody>
            <DialogTitle>{props.title}</DialogTitle>
            <DialogContent>
              <Field label={props.label} required>
                <Input value={value} onChange={(_, d) => setValue(d.value)} autoFocus />
              </Field>
              <ErrorBar error={error} />
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={busy || !value.trim()}>
                {props.confirm}
              </Button>
              <Button onClick={props.onClose}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

/** A yes/no dialog for destructive actions. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  message: ReactNode;
  confirm: string;
  onClose(): void;
  onConfirm(): Promise<void>;
}) {
  const [error, setError] = useState<unknown>(null);
  return (
    <Dialog open={props.open} onOpenChange={(_, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogContent>
            {props.message}
            <ErrorBar error={error} />
          </DialogContent>
          <DialogActions>
            <Button
              appearance="primary"
              onClick={() => props.onConfirm().then(props.onClose, (e: unknown) => setError(e))}
            >
              {props.confirm}
            </Button>
            <Button onClick={props.onClose}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
