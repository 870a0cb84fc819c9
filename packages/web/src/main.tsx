import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { App } from './app/App.js';
import { prefetchForRoute } from './app/prefetch.js';
import { parseRoute } from './app/route.js';

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
