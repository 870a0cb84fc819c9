/**
 * OAuth2 sign-in in a popup: the server's callback page posts
 * `{type: 'patchbay:oauth', connectionId, ok, error?}` to this window and closes
 * (a failure page stays open and may not name the connection).
 */
export interface OAuthResult {
  connectionId: string;
  ok: boolean;
  error?: string;
}

/** Opens the popup at once (inside the click, so blockers allow it); point it at the authorize URL later. */
export function openPopup(): Window | null {
  return window.open('about:blank', 'patchbay-oauth', 'width=520,height=680');
}

export function waitForOAuth(popup: Window | null, connectionId: string, signal?: AbortSignal): Promise<OAuthResult> {
  return new Promise((resolve) => {
    const done = (r: OAuthResult) => {
      window.removeEventListener('message', onMessage);
      clearInterval(timer);
      resolve(r);
    };
    const onMessage = (e: MessageEvent) => {
      if (e.origin !== window.location.origin) return;
      const d = e.data as Partial<OAuthResult> & { type?: string };
      if (d?.type !== 'patchbay:oauth') return;
      // A failed callback may not know its connection (a denied or expired sign-in): it counts when it comes from this popup.
      const ours =
        d.connectionId === connectionId ||
        (d.connectionId === undefined && d.ok !== true && popup !== null && e.source === popup);
      if (!ours) return;
      done({ connectionId, ok: d.ok === true, error: typeof d.error === 'string' ? d.error : undefined });
    };
    window.addEventListener('message', onMessage);
    const timer = setInterval(() => {
      if (popup && popup.closed)
        setTimeout(
          () => done({ connectionId, ok: false, error: 'The sign-in window was closed before it finished.' }),
          500,
        );
    }, 500);
    signal?.addEventListener('abort', () => done({ connectionId, ok: false, error: 'Cancelled.' }));
  });
}
