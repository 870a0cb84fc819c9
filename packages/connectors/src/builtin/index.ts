/** The connectors Patchbay ships with, in the same model as imported ones. */
import type { Connector } from '../model.js';
import { githubConnector } from './github.js';
import { httpConnector } from './http.js';
import { office365Connector, onedriveConnector, sharepointConnector } from './microsoft.js';
import { rssConnector } from './rss.js';
import { slackConnector } from './slack.js';

let cached: Connector[] | undefined;

/** Every built-in connector (built once; treat as read-only). */
export function builtinConnectors(): Connector[] {
  cached ??= [
    httpConnector(),
    rssConnector(),
    office365Connector(),
    onedriveConnector(),
    sharepointConnector(),
    githubConnector(),
    slackConnector(),
  ];
  return cached;
}

export { parseFeed, type FeedItem } from './rss.js';
export {
  prop,
  httpOperation,
  codeOperation,
  defineConnector,
  oauth2Scheme,
  type PropValues,
  type BuiltinRunContext,
} from './define.js';
