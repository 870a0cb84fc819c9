import { Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { Spinner, makeStyles } from '@fluentui/react-components';
import { ApiError, setCsrfToken } from '../api/client.js';
import { useMe } from '../api/queries.js';
import { EnvContext, loadEnv, storeEnv } from './env.js';
import { useRoute } from './route.js';
import { SignIn } from './SignIn.js';
import { TopBar } from './TopBar.js';

const FlowsPage = lazy(() => import('../pages/FlowsPage.js'));
const FlowEditor = lazy(() => import('../editor/FlowEditor.js'));
const ConnectorsPage = lazy(() => import('../pages/ConnectorsPage.js'));
const ConnectionsPage = lazy(() => import('../pages/ConnectionsPage.js'));
const ReferencesPage = lazy(() => import('../pages/ReferencesPage.js'));
const SolutionsPage = lazy(() => import('../pages/SolutionsPage.js'));
const VariablesPage = lazy(() => import('../pages/VariablesPage.js'));
const AuditPage = lazy(() => import('../pages/AuditPage.js'));
const PoliciesPage = lazy(() => import('../pages/PoliciesPage.js'));
const MachinesPage = lazy(() => import('../pages/MachinesPage.js'));
const RolesPage = lazy(() => import('../pages/RolesPage.js'));

const useStyles = makeStyles({
  shell: { display: 'flex', flexDirection: 'column', height: '100%' },
  main: { flexGrow: 1, minHeight: 0, overflow: 'auto' },
});

export function App() {
  const s = useStyles();
  const me = useMe();
  const route = useRoute();
  const [env, setEnvState] = useState(loadEnv);
  const envValue = useMemo(() => ({ env, setEnv: (e: string) => (storeEnv(e), setEnvState(e)) }), [env]);

  useEffect(() => {
    if (me.data) setCsrfToken(me.data.csrfToken);
  }, [me.data]);

  if (me.isPending) return <Spinner label="Loading Patchbay…" style={{ marginTop: 80 }} />;
  if (me.error || !me.data) {
    if (me.error && !(me.error instanceof ApiError && me.error.status === 401)) {
      return <SignIn />;
    }
    return <SignIn />;
  }
  return (
    <EnvContext.Provider value={envValue}>
      <div className={s.shell}>
        <TopBar route={route} user={me.data.user} />
        <main className={s.main}>
          <Suspense fallback={<Spinner label="Loading…" style={{ marginTop: 40 }} />}>
            {route.page === 'flows' && <FlowsPage />}
            {route.page === 'editor' && <FlowEditor key={route.flowId} flowId={route.flowId} />}
            {route.page === 'connectors' && <ConnectorsPage />}
            {route.page === 'connections' && <ConnectionsPage />}
            {route.page === 'references' && <ReferencesPage />}
            {route.page === 'solutions' && <SolutionsPage />}
            {route.page === 'variables' && <VariablesPage />}
            {route.page === 'audit' && <AuditPage />}
            {route.page === 'policies' && <PoliciesPage />}
            {route.page === 'machines' && <MachinesPage />}
            {route.page === 'roles' && <RolesPage />}
          </Suspense>
        </main>
      </div>
    </EnvContext.Provider>
  );
}
