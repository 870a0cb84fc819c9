/**
 * A desktop action's view of the host under endpoint rules: every HTTP
 * request the action makes is checked against the rules for its module, and
 * redirects are followed here (not by the host), so each hop's URL is checked
 * too. A URL built at run time is checked like any other.
 */
import type { Host, HostHttpRequest, HostHttpResponse } from '../host.js';
import { PatchbayError } from '../errors.js';
import { checkEndpoint, type EndpointRuleSet } from './endpoints.js';

const MAX_REDIRECTS = 10;
const REDIRECT = new Set([301, 302, 303, 307, 308]);

function header(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

export function guardedHost(host: Host, sets: readonly EndpointRuleSet[], action: string): Host {
  const caller = { action };
  async function request(req: HostHttpRequest): Promise<HostHttpResponse> {
    let current: HostHttpRequest = { ...req, followRedirects: false };
    for (let hops = 0; ; hops++) {
      checkEndpoint(sets, caller, current.url);
      const res = await host.http.request(current);
      const location = header(res.headers, 'location');
      if (req.followRedirects === false || !REDIRECT.has(res.status) || location === undefined) return res;
      if (hops >= MAX_REDIRECTS)
        throw new PatchbayError(
          'action.failed',
          `${action}: the service redirected more than ${MAX_REDIRECTS} times.`,
          {
            hint: 'Check the URL; the service redirects in a loop.',
          },
        );
      const url = new URL(location, current.url).href;
      const keep = res.status === 307 || res.status === 308;
      current = keep
        ? { ...current, url }
        : { ...current, url, method: current.method.toUpperCase() === 'HEAD' ? 'HEAD' : 'GET', body: undefined };
    }
  }
  return { ...host, http: { request } };
}
