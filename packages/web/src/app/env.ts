/** The environment the designer works in, kept in localStorage so a reload stays there. */
import { createContext, useContext } from 'react';

const KEY = 'patchbay.environment';
export const EnvContext = createContext<{ env: string; setEnv(env: string): void }>({
  env: 'default',
  setEnv: () => undefined,
});
export const useEnv = () => useContext(EnvContext);

export function loadEnv(): string {
  try {
    return localStorage.getItem(KEY) || 'default';
  } catch {
    return 'default';
  }
}

export function storeEnv(env: string): void {
  try {
    localStorage.setItem(KEY, env);
  } catch {
    // private mode: the choice lasts for this page only
  }
}
