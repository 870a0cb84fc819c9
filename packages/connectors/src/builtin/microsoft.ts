/**
 * Microsoft 365 through Microsoft Graph v1.0: Office 365 Outlook (send mail,
 * list messages), OneDrive (list, upload, download a file) and SharePoint
 * (list items, create item). Endpoints and delegated scopes from the Graph
 * reference (`POST /me/sendMail` needs Mail.Send, `GET /me/mailFolders/{id}/messages`
 * Mail.Read, drive items Files.ReadWrite, list items Sites.ReadWrite.All).
 */
import { PatchbayError, type Value } from '@patchbay/core';
import type { AuthScheme, Connector } from '../model.js';
import { codeOperation, defineConnector, httpOperation, oauth2Scheme, prop } from './define.js';

const GRAPH = 'https://graph.microsoft.com/v1.0';
const PAGEABLE = { nextLinkName: '@odata.nextLink', itemsName: 'value' };

function graphAuth(displayName: string, scopes: string[]): AuthScheme {
  const s = oauth2Scheme({
    displayName,
    identityProvider: 'aad',
    authorizationUrl: 'https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/authorize',
    tokenUrl: 'https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token',
    scopes: [...scopes, 'offline_access'],
  });
  if (s.oauth2) s.oauth2.tenantId = 'common';
  s.parameters.push({
    name: 'tenantId',
    type: 'string',
    displayName: 'Tenant',
    required: false,
    default: 'common',
    secret: false,
  });
  return s;
}

/** `a@x.com; b@y.com` (Outlook's separator) or a list, as Graph recipients. */
function recipients(v: Value | undefined, name: string): { emailAddress: { address: string } }[] | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(/[;,]/) : undefined;
  if (!list)
    throw new PatchbayError(
      'action.param',
      `"${name}" must be email addresses separated by semicolons, or a list of them.`,
      { place: { pointer: `/params/${name}` }, hint: 'For example: ada@contoso.com; grace@contoso.com' },
    );
  return list
    .map((a) => a.trim())
    .filter(Boolean)
    .map((address) => ({ emailAddress: { address } }));
}

const sendEmail = codeOperation({
  id: 'SendEmailV2',
  summary: 'Send an email (V2)',
  description: "Sends an email from the signed-in user's mailbox.",
  visibility: 'important',
  props: {
    To: prop.text({
      displayName: 'To',
      required: true,
      format: 'email',
      description: 'Email addresses separated by semicolons.',
    }),
    Subject: prop.text({ displayName: 'Subject', required: true }),
    Body: prop.text({ displayName: 'Body', required: true, format: 'html' }),
    Cc: prop.text({ displayName: 'CC', visibility: 'advanced' }),
    Bcc: prop.text({ displayName: 'BCC', visibility: 'advanced' }),
    Importance: prop.text({
      displayName: 'Importance',
      visibility: 'advanced',
      enum: ['Low', 'Normal', 'High'],
      default: 'Normal',
    }),
    IsHtml: prop.boolean({ displayName: 'Is HTML', visibility: 'advanced', default: true }),
  },
  async run({ params, call }) {
    const message = {
      subject: params.Subject,
      body: { contentType: params.IsHtml === false ? 'Text' : 'HTML', content: params.Body },
      toRecipients: recipients(params.To, 'To') ?? [],
      ccRecipients: recipients(params.Cc, 'Cc') ?? [],
      bccRecipients: recipients(params.Bcc, 'Bcc') ?? [],
      importance: (params.Importance ?? 'Normal').toLowerCase(),
    };
    return call({ method: 'POST', url: '/me/sendMail', body: { message, saveToSentItems: true } });
  },
});

const listMessages = httpOperation({
  id: 'GetEmailsV3',
  method: 'GET',
  path: '/me/mailFolders/{folderId}/messages',
  summary: 'Get emails (V3)',
  visibility: 'important',
  pageable: PAGEABLE,
  props: {
    folderId: prop.text({ displayName: 'Folder', in: 'path', required: true, default: 'inbox' }),
    top: prop.integer({ displayName: 'Top', in: 'query', wireName: '$top', default: 10 }),
    filter: prop.text({ displayName: 'Filter query', in: 'query', wireName: '$filter', visibility: 'advanced' }),
    search: prop.text({ displayName: 'Search query', in: 'query', wireName: '$search', visibility: 'advanced' }),
  },
  outputs: {
    'value/id': 'string',
    'value/subject': 'string',
    'value/bodyPreview': 'string',
    'value/receivedDateTime': 'string',
    'value/from/emailAddress/address': 'string',
  },
});

export function office365Connector(): Connector {
  return defineConnector({
    id: 'office365',
    displayName: 'Office 365 Outlook',
    description: 'Send and read mail in Microsoft 365 through Microsoft Graph.',
    brandColor: '#0078d4',
    baseUrl: GRAPH,
    authSchemes: [graphAuth('Microsoft 365 account', ['Mail.Send', 'Mail.Read', 'User.Read'])],
    operations: [sendEmail, listMessages],
    publisher: 'Microsoft (through Patchbay)',
  });
}

/** `/Documents/Report 1.xlsx` as Graph path addressing, each segment encoded. */
function drivePath(path: string, suffix: string): string {
  const segs = path.split('/').filter(Boolean).map(encodeURIComponent);
  return segs.length ? `/me/drive/root:/${segs.join('/')}:${suffix}` : `/me/drive/root${suffix}`;
}

const listFolder = codeOperation({
  id: 'ListFolder',
  summary: 'List files in folder',
  visibility: 'important',
  pageable: PAGEABLE,
  props: {
    path: prop.text({ displayName: 'Folder', description: 'Path from the root, e.g. /Documents.', default: '/' }),
  },
  outputs: { 'value/id': 'string', 'value/name': 'string', 'value/size': 'integer', 'value/webUrl': 'string' },
  run: ({ params, call }) => call({ method: 'GET', url: drivePath(params.path ?? '/', '/children') }),
});

const uploadFile = codeOperation({
  id: 'CreateFile',
  summary: 'Create file',
  description: 'Uploads a file (up to 250 MB) to a path, replacing a file of the same name.',
  visibility: 'important',
  props: {
    path: prop.text({ displayName: 'File path', required: true, description: 'e.g. /Documents/report.pdf' }),
    content: prop.binary({ displayName: 'File content', required: true }),
  },
  outputs: { id: 'string', name: 'string', size: 'integer', webUrl: 'string' },
  run: ({ params, call }) =>
    call({
      method: 'PUT',
      url: drivePath(params.path, '/content'),
      headers: { 'content-type': 'application/octet-stream' },
      body: params.content,
    }),
});

const downloadFile = codeOperation({
  id: 'GetFileContentByPath',
  summary: 'Get file content using path',
  visibility: 'important',
  props: { path: prop.text({ displayName: 'File path', required: true }) },
  binaryOutput: true,
  // Graph answers 302 with a pre-signed download URL; the invoker follows it without the token.
  run: ({ params, call }) => call({ method: 'GET', url: drivePath(params.path, '/content'), followRedirects: true }),
});

export function onedriveConnector(): Connector {
  return defineConnector({
    id: 'onedrive',
    displayName: 'OneDrive for Business',
    description: 'List, upload and download files in OneDrive through Microsoft Graph.',
    brandColor: '#0078d4',
    baseUrl: GRAPH,
    authSchemes: [graphAuth('Microsoft 365 account', ['Files.ReadWrite', 'User.Read'])],
    operations: [listFolder, uploadFile, downloadFile],
    publisher: 'Microsoft (through Patchbay)',
  });
}

const site = prop.text({
  displayName: 'Site',
  in: 'path',
  required: true,
  description: 'Site id (host,site-id,web-id) or `root`.',
  dynamicValues: {
    source: 'x-ms-dynamic-values',
    operationId: 'ListSites',
    parameters: {},
    itemsPath: 'value',
    valuePath: 'id',
    titlePath: 'displayName',
  },
});
const list = prop.text({
  displayName: 'List',
  in: 'path',
  required: true,
  dynamicValues: {
    source: 'x-ms-dynamic-values',
    operationId: 'ListLists',
    parameters: { siteId: { parameter: 'siteId' } },
    itemsPath: 'value',
    valuePath: 'id',
    titlePath: 'displayName',
  },
});

export function sharepointConnector(): Connector {
  return defineConnector({
    id: 'sharepoint',
    displayName: 'SharePoint',
    description: 'Read and add SharePoint list items through Microsoft Graph.',
    brandColor: '#036c70',
    baseUrl: GRAPH,
    authSchemes: [graphAuth('Microsoft 365 account', ['Sites.ReadWrite.All', 'User.Read'])],
    operations: [
      httpOperation({
        id: 'GetItems',
        method: 'GET',
        path: '/sites/{siteId}/lists/{listId}/items',
        summary: 'Get items',
        visibility: 'important',
        pageable: PAGEABLE,
        props: {
          siteId: site,
          listId: list,
          expand: prop.text({
            displayName: 'Expand',
            in: 'query',
            wireName: '$expand',
            default: 'fields',
            visibility: 'internal',
            required: true,
          }),
          top: prop.integer({ displayName: 'Top', in: 'query', wireName: '$top' }),
          filter: prop.text({ displayName: 'Filter query', in: 'query', wireName: '$filter', visibility: 'advanced' }),
        },
        outputs: { 'value/id': 'string', 'value/fields': 'object' },
      }),
      httpOperation({
        id: 'PostItem',
        method: 'POST',
        path: '/sites/{siteId}/lists/{listId}/items',
        summary: 'Create item',
        visibility: 'important',
        props: {
          siteId: site,
          listId: list,
          fields: prop.object({
            displayName: 'Item fields',
            required: true,
            bodyPath: ['fields'],
            description: 'Column names and values, e.g. {"Title": "New"}.',
          }),
        },
        outputs: { id: 'string', fields: 'object' },
      }),
      httpOperation({
        id: 'ListSites',
        method: 'GET',
        path: '/sites',
        summary: 'List sites',
        visibility: 'internal',
        props: { search: prop.text({ displayName: 'Search', in: 'query', default: '*', required: true }) },
      }),
      httpOperation({
        id: 'ListLists',
        method: 'GET',
        path: '/sites/{siteId}/lists',
        summary: 'List lists',
        visibility: 'internal',
        props: { siteId: prop.text({ displayName: 'Site', in: 'path', required: true }) },
      }),
    ],
    publisher: 'Microsoft (through Patchbay)',
  });
}
