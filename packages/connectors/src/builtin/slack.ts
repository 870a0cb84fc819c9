/**
 * Slack: post a message with `chat.postMessage` (scope `chat:write`). Slack
 * answers 200 with `{"ok": false, "error": …}` on failure; that becomes a
 * connector error with Slack's error code.
 */
import { PatchbayError } from '@patchbay/core';
import type { Connector } from '../model.js';
import { codeOperation, defineConnector, oauth2Scheme, prop } from './define.js';

const postMessage = codeOperation({
  id: 'PostMessageV2',
  summary: 'Post message (V2)',
  visibility: 'important',
  props: {
    channel: prop.text({
      displayName: 'Channel',
      required: true,
      description: 'Channel id (C0123…) or name (#general).',
    }),
    text: prop.text({ displayName: 'Message text', required: true }),
    thread_ts: prop.text({
      displayName: 'Reply in thread',
      visibility: 'advanced',
      description: 'The ts of the parent message.',
    }),
    username: prop.text({ displayName: 'Bot name', visibility: 'advanced' }),
  },
  outputs: { ok: 'boolean', ts: 'string', channel: 'string' },
  async run({ params, call }) {
    const body: Record<string, string> = { channel: params.channel, text: params.text };
    if (params.thread_ts) body.thread_ts = params.thread_ts;
    if (params.username) body.username = params.username;
    const res = await call({
      method: 'POST',
      url: '/chat.postMessage',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
    });
    const b = res.body;
    if (
      b &&
      typeof b === 'object' &&
      !Array.isArray(b) &&
      !(b instanceof Uint8Array) &&
      !(b instanceof Date) &&
      b.ok === false
    ) {
      throw new PatchbayError('connector.http', `Slack refused the message: ${String(b.error ?? 'unknown error')}.`, {
        status: res.status,
        hint:
          b.error === 'not_in_channel'
            ? 'Invite the app to the channel first.'
            : "Check the channel and the connection's permissions.",
      });
    }
    return res;
  },
});

export function slackConnector(): Connector {
  return defineConnector({
    id: 'slack',
    displayName: 'Slack',
    description: 'Post messages to Slack channels.',
    brandColor: '#4a154b',
    baseUrl: 'https://slack.com/api',
    authSchemes: [
      oauth2Scheme({
        displayName: 'Slack workspace',
        identityProvider: 'slack',
        authorizationUrl: 'https://slack.com/oauth/v2/authorize',
        tokenUrl: 'https://slack.com/api/oauth.v2.access',
        scopes: ['chat:write'],
        pkce: false,
        // Slack answers `token_type: "bot"` (or `"user"` for user tokens); both are sent as bearer tokens.
        tokenTypes: ['bot', 'user'],
      }),
      {
        name: 'botToken',
        displayName: 'Bot token',
        type: 'bearer',
        parameters: [
          { name: 'token', type: 'securestring', displayName: 'Bot token (xoxb-…)', required: true, secret: true },
        ],
      },
    ],
    operations: [postMessage],
  });
}
