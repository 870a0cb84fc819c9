import { useState, type FormEvent } from 'react';
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useQueryClient } from '@tanstack/react-query';
import { api, errorText, setCsrfToken } from '../api/client.js';
import { keys } from '../api/queries.js';
import type { Session } from '../api/types.js';

const useStyles = makeStyles({
  page: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    height: '100%',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: '12px',
    width: '340px',
    padding: '32px',
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow16,
    borderRadius: tokens.borderRadiusLarge,
  },
});

export function SignIn() {
  const s = useStyles();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const session = await api<Session>('POST', '/api/auth/login', { email, password });
      setCsrfToken(session.csrfToken);
      qc.setQueryData(keys.me, session);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className={s.page}>
      <form className={s.card} onSubmit={submit} aria-label="Sign in to Patchbay">
        <Title2>Patchbay</Title2>
        <Field label="Email" required>
          <Input type="email" autoComplete="username" value={email} onChange={(_, d) => setEmail(d.value)} />
        </Field>
        <Field label="Password" required>
          <Input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(_, d) => setPassword(d.value)}
          />
        </Field>
        {error && (
          <MessageBar intent="error">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        )}
        <Button appearance="primary" type="submit" disabled={busy}>
          Sign in
        </Button>
      </form>
    </main>
  );
}
