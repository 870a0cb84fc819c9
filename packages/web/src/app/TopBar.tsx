import { useState } from 'react';
import {
  Button,
  Dropdown,
  Option,
  OptionGroup,
  Tab,
  TabList,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../api/client.js';
import { keys, useEnvironments } from '../api/queries.js';
import { PromptDialog } from '../pages/common.js';
import type { User } from '../api/types.js';
import { useEnv } from './env.js';
import { navigate, type Route } from './route.js';

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    alignItems: 'center',
    gap: '16px',
    padding: '0 16px',
    height: '48px',
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  brand: {
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase400,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  // Every page stays reachable on a narrow window: the tabs scroll rather than slide under the environment picker.
  nav: {
    flexGrow: 1,
    minWidth: 0,
    overflowX: 'auto',
    scrollbarWidth: 'thin',
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
  },
  user: { color: tokens.colorNeutralForegroundOnBrand },
});

const PAGES = [
  { value: 'flows', label: 'Flows' },
  { value: 'connectors', label: 'Connectors' },
  { value: 'connections', label: 'Connections' },
  { value: 'references', label: 'Connection references' },
  { value: 'solutions', label: 'Solutions' },
  { value: 'variables', label: 'Environment variables' },
  { value: 'audit', label: 'Audit log' },
  { value: 'policies', label: 'Policies' },
  { value: 'machines', label: 'Machines' },
  { value: 'roles', label: 'Roles' },
] as const;

/** The Environment dropdown's last option: it opens the "New environment" dialog instead of switching. */
const NEW_ENV = '\u0000new-environment';

export function TopBar({ route, user }: { route: Route; user: User }) {
  const s = useStyles();
  const qc = useQueryClient();
  const { env, setEnv } = useEnv();
  const envs = useEnvironments();
  const names = envs.data?.map((e) => e.name) ?? [env];
  const current = route.page === 'editor' ? 'flows' : route.page;
  const [creating, setCreating] = useState(false);

  async function createEnvironment(name: string) {
    await api('POST', '/api/environments', { name });
    await qc.invalidateQueries({ queryKey: keys.environments });
    setEnv(name);
  }

  async function signOut() {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    setCsrfToken('');
    qc.clear();
    await qc.invalidateQueries({ queryKey: keys.me });
  }

  return (
    <header className={s.bar}>
      <Text className={s.brand}>Patchbay</Text>
      <nav aria-label="Main" className={s.nav}>
        <TabList selectedValue={current} onTabSelect={(_, d) => navigate({ page: d.value as 'flows' })} size="small">
          {PAGES.map((p) => (
            <Tab key={p.value} value={p.value}>
              {p.label}
            </Tab>
          ))}
        </TabList>
      </nav>
      <Dropdown
        aria-label="Environment"
        value={env}
        selectedOptions={[env]}
        onOptionSelect={(_, d) => {
          if (d.optionValue === NEW_ENV) setCreating(true);
          else if (d.optionValue) setEnv(d.optionValue);
        }}
        size="small"
      >
        {(names.includes(env) ? names : [env, ...names]).map((n) => (
          <Option key={n} value={n}>
            {n}
          </Option>
        ))}
        {user.role === 'owner' && (
          <OptionGroup>
            <Option value={NEW_ENV} text="New environment…">
              New environment…
            </Option>
          </OptionGroup>
        )}
      </Dropdown>
      {creating && (
        <PromptDialog
          open
          title="New environment"
          label="Environment name"
          confirm="Create"
          onClose={() => setCreating(false)}
          onSubmit={createEnvironment}
        />
      )}
      <Text className={s.user}>{user.email}</Text>
      <Button size="small" onClick={signOut}>
        Sign out
      </Button>
    </header>
  );
}
