import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider, focusManager } from '@tanstack/react-query';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { App } from './app/App.js';
import { prefetchForRoute } from './app/prefetch.js';
import { parseRoute } from './app/route.js';

// Focus is the tab becoming visible or the window being focused (two windows side by side both stay visible).
// Queries opt in with refetchOnWindowFocus; the default below keeps the rest still.
focusManager.setEventListener((onFocus) => {
  const visible = () => onFocus(document.visibilityState !== 'hidden');
  const focused = () => onFocus(true);
  window.addEventListener('visibilitychange', visible, false);
  window.addEventListener('focus', focused, false);
  return () => {
    window.removeEventListener('visibilitychange', visible);
    window.removeEventListener('focus', focused);
  };
});

const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } } });

prefetchForRoute(queryClient, parseRoute(window.location.hash));

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <FluentProvider theme={webLightTheme} style={{ height: '100vh' }}>
          <App />
        </FluentProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
