/**
 * GitHub issues through the REST API (api.github.com, version 2022-11-28):
 * list (every page, by the `Link` header), get and create issues. OAuth app scope `repo` (private repositories)
 * or a personal access token as a bearer token.
 */
import type { Connector } from '../model.js';
import { defineConnector, httpOperation, oauth2Scheme, prop } from './define.js';

const repoProps = {
  owner: prop.text({ displayName: 'Repository owner', in: 'path', required: true }),
  repo: prop.text({ displayName: 'Repository name', in: 'path', required: true }),
  // GitHub refuses requests without a User-Agent and recommends the versioned media type.
  accept: prop.text({
    displayName: 'Accept',
    in: 'header',
    wireName: 'Accept',
    visibility: 'internal',
    required: true,
    default: 'application/vnd.github+json',
  }),
  version: prop.text({
    displayName: 'API version',
    in: 'header',
    wireName: 'X-GitHub-Api-Version',
    visibility: 'internal',
    required: true,
    default: '2022-11-28',
  }),
  userAgent: prop.text({
    displayName: 'User agent',
    in: 'header',
    wireName: 'User-Agent',
    visibility: 'internal',
    required: true,
    default: 'Patchbay',
  }),
};
const ISSUE = {
  number: 'integer',
  title: 'string',
  state: 'string',
  html_url: 'string',
  body: 'string',
  'user/login': 'string',
} as const;

export function githubConnector(): Connector {
  return defineConnector({
    id: 'github',
    displayName: 'GitHub',
    description: 'Work with GitHub issues.',
    brandColor: '#24292f',
    baseUrl: 'https://api.github.com',
    authSchemes: [
      oauth2Scheme({
        displayName: 'GitHub account',
        identityProvider: 'github',
        authorizationUrl: 'https://github.com/login/oauth/authorize',
        tokenUrl: 'https://github.com/login/oauth/access_token',
        scopes: ['repo'],
        pkce: false,
      }),
      {
        name: 'token',
        displayName: 'Personal access token',
        type: 'bearer',
        parameters: [{ name: 'token', type: 'securestring', displayName: 'Token', required: true, secret: true }],
      },
    ],
    operations: [
      httpOperation({
        id: 'ListIssues',
        method: 'GET',
        path: '/repos/{owner}/{repo}/issues',
        summary: 'List issues of a repository',
        visibility: 'important',
        props: {
          ...repoProps,
          state: prop.text({ displayName: 'State', in: 'query', enum: ['open', 'closed', 'all'], default: 'open' }),
          labels: prop.list({ displayName: 'Labels', in: 'query', collectionFormat: 'csv' }),
          per_page: prop.integer({ displayName: 'Per page', in: 'query', visibility: 'advanced' }),
          page: prop.integer({ displayName: 'Page', in: 'query', visibility: 'advanced' }),
        },
        outputs: ISSUE,
        // GitHub pages with `Link: <…&page=2>; rel="next"` and a list body.
        pageable: { nextLinkName: null, itemsName: '', linkHeader: true },
      }),
      httpOperation({
        id: 'GetIssue',
        method: 'GET',
        path: '/repos/{owner}/{repo}/issues/{issue_number}',
        summary: 'Get an issue',
        visibility: 'important',
        props: {
          ...repoProps,
          issue_number: prop.integer({ displayName: 'Issue number', in: 'path', required: true }),
        },
        outputs: ISSUE,
      }),
      httpOperation({
        id: 'CreateIssue',
        method: 'POST',
        path: '/repos/{owner}/{repo}/issues',
        summary: 'Create an issue',
        visibility: 'important',
        props: {
          ...repoProps,
          title: prop.text({ displayName: 'Title', required: true }),
          body: prop.text({ displayName: 'Body' }),
          labels: prop.list({ displayName: 'Labels' }),
          assignees: prop.list({ displayName: 'Assignees', visibility: 'advanced' }),
        },
        outputs: ISSUE,
      }),
    ],
  });
}
