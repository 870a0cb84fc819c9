/**
 * Web actions: invoke a web service and download a file, through
 * `ctx.host.http` (undici in the Node host): cancellable mid-request by the
 * run's signal, with a timeout, and errors that never repeat a URL's query.
 */
import { PatchbayError } from '../errors.js';
import type { ActionDefinition, ParamSpec } from '../contracts.js';
import type { Value } from '../values.js';
import { bool, num, option, paramError, text } from './variables-params.js';
import { IF_EXISTS_OPTIONS, IF_EXISTS_VALUES, existingFolder, fileObject, mayWrite, pathParam } from './files-paths.js';
import {
  bodyParam,
  decodeBody,
  downloadName,
  header,
  headersParam,
  statusError,
  urlForMessages,
} from './web-request.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

const urlParam: ParamSpec = { name: 'url', type: 'text', displayName: 'URL', required: true };
const methodParam: ParamSpec = {
  name: 'method',
  type: 'text',
  displayName: 'Method',
  default: 'GET',
  options: METHODS,
};
const headersSpec: ParamSpec = {
  name: 'headers',
  type: 'any',
  displayName: 'Custom headers',
  description: 'A custom object, or text with one "Name: value" a line.',
  sensitive: true,
};
const timeoutParam = (seconds: number): ParamSpec => ({
  name: 'timeoutSeconds',
  type: 'number',
  displayName: 'Request timeout (seconds)',
  default: seconds,
  advanced: true,
});

function timeoutMs(p: Record<string, Value>): number {
  const s = num(p, 'timeoutSeconds', 30);
  if (s <= 0)
    throw paramError(
      'timeoutSeconds',
      `must be more than 0, got ${s}.`,
      'Give the number of seconds to wait, e.g. 30.',
    );
  return s * 1000;
}

const invoke: ActionDefinition = {
  id: 'Web.InvokeWebService',
  group: 'Web',
  displayName: 'Invoke web service',
  description: 'Sends an HTTP request and gives the response status, headers and body.',
  params: [
    urlParam,
    methodParam,
    { name: 'accept', type: 'text', displayName: 'Accept', default: 'application/json, text/plain, */*' },
    { name: 'contentType', type: 'text', displayName: 'Content type', default: 'application/json' },
    headersSpec,
    {
      name: 'body',
      type: 'any',
      displayName: 'Request body',
      description: 'Text; a list or custom object is sent as JSON.',
    },
    timeoutParam(30),
    {
      name: 'failOnErrorStatus',
      type: 'boolean',
      displayName: 'Fail on error status',
      default: false,
      description: 'Fail when the status is 400 or more, instead of giving it in StatusCode.',
      advanced: true,
    },
    {
      name: 'parseJson',
      type: 'boolean',
      displayName: 'Parse response as JSON',
      default: false,
      description: 'Give the response as a custom object or list instead of text.',
    },
  ],
  produces: [
    { key: 'headers', defaultName: 'WebServiceResponseHeaders', type: 'object' },
    { key: 'body', defaultName: 'WebServiceResponse', type: 'any', description: 'Text, or the parsed JSON.' },
    { key: 'status', defaultName: 'StatusCode', type: 'number' },
  ],
  async run(ctx, p) {
    const url = text(p, 'url').trim();
    if (url === '')
      throw paramError('url', 'a URL is required.', 'Give an absolute URL such as https://example.com/api.');
    const method = option(p, 'method', METHODS, 'GET');
    // Custom headers win over the Accept and Content type fields, whatever their case: HTTP names ignore case, and two would both be sent.
    const headers = headersParam(p, 'headers');
    const accept = text(p, 'accept');
    if (accept !== '' && header(headers, 'accept') === undefined) headers.accept = accept;
    const body = bodyParam(p.body);
    const contentType = text(p, 'contentType');
    if (body !== undefined && contentType !== '' && header(headers, 'content-type') === undefined)
      headers['content-type'] = contentType;
    const res = await ctx.host.http.request({
      method,
      url,
      headers,
      body,
      timeoutMs: timeoutMs(p),
      signal: ctx.signal,
    });
    if (res.status >= 400 && bool(p, 'failOnErrorStatus', false)) throw statusError(method, url, res.status);
    const bodyText = decodeBody(res.body, header(res.headers, 'content-type'));
    let out: Value = bodyText;
    if (bool(p, 'parseJson', false) && bodyText.trim() !== '') {
      try {
        out = JSON.parse(bodyText) as Value;
      } catch {
        // JSON.parse quotes the text around the fault, and a response body may hold anything (a token the service echoes): say where only.
        throw new PatchbayError(
          'action.failed',
          `The response of ${method} ${urlForMessages(url)} (status ${res.status}, ${bodyText.length} characters) is not valid JSON.`,
          { hint: 'Turn off "Parse response as JSON" to get the text, or check the URL.' },
        );
      }
    }
    return { headers: res.headers, body: out, status: res.status };
  },
};

const download: ActionDefinition = {
  id: 'Web.DownloadFile',
  group: 'Web',
  displayName: 'Download from web',
  description: 'Downloads a file over HTTP into a folder, or as binary data.',
  params: [
    urlParam,
    methodParam,
    headersSpec,
    {
      name: 'saveTo',
      type: 'text',
      displayName: 'Save response',
      default: 'file',
      options: [
        { value: 'file', title: 'Save to disk' },
        { value: 'binary', title: 'Keep as binary data' },
      ],
    },
    { name: 'destinationFolder', type: 'any', displayName: 'Destination folder', description: 'With "Save to disk".' },
    {
      name: 'fileName',
      type: 'text',
      displayName: 'File name',
      description: 'Default: the name the server gives, else the last part of the URL.',
    },
    {
      name: 'ifFileExists',
      type: 'text',
      displayName: 'If file exists',
      default: 'overwrite',
      options: IF_EXISTS_OPTIONS,
    },
    timeoutParam(300),
  ],
  produces: [
    {
      key: 'file',
      defaultName: 'DownloadedFile',
      type: 'object',
      description: 'The downloaded file (with "Save to disk").',
    },
    {
      key: 'binary',
      defaultName: 'DownloadedBinaryData',
      type: 'binary',
      description: 'The downloaded bytes (with "Keep as binary data").',
    },
  ],
  async run(ctx, p) {
    const url = text(p, 'url').trim();
    if (url === '')
      throw paramError('url', 'a URL is required.', 'Give an absolute URL such as https://example.com/report.pdf.');
    const method = option(p, 'method', METHODS, 'GET');
    const headers = headersParam(p, 'headers');
    const request = { method, url, headers, timeoutMs: timeoutMs(p), signal: ctx.signal };
    if (option(p, 'saveTo', ['file', 'binary'], 'file') === 'binary') {
      const res = await ctx.host.http.request(request);
      if (res.status >= 400) throw statusError(method, url, res.status);
      return { file: null, binary: res.body };
    }
    if (p.destinationFolder === undefined || p.destinationFolder === null || p.destinationFolder === '')
      throw paramError(
        'destinationFolder',
        'a folder is required to save to disk.',
        'Give the folder to save the file in, or keep the response as binary data.',
      );
    const folder = pathParam(ctx, p, 'destinationFolder');
    await existingFolder(ctx, 'destinationFolder', folder);
    const given = text(p, 'fileName').trim();
    if (/[\\/]/.test(given))
      throw paramError(
        'fileName',
        `'${given}' contains a path separator.`,
        'Give only a file name; the folder goes in destinationFolder.',
      );
    const policy = option(p, 'ifFileExists', IF_EXISTS_VALUES, 'overwrite');
    if (given !== '' && !(await mayWrite(ctx, ctx.host.path.join(folder, given), policy, 'ifFileExists')))
      return { file: null, binary: null };
    // Stream into a part file first: a failed or cancelled download never leaves a half file under the real name.
    const part = ctx.host.path.join(
      folder,
      `.patchbay-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}.part`,
    );
    try {
      const res = await ctx.host.http.request({ ...request, saveTo: part });
      if (res.status >= 400) throw statusError(method, url, res.status);
      const target = ctx.host.path.join(
        folder,
        given !== '' ? given : downloadName(url, header(res.headers, 'content-disposition')),
      );
      if (given === '' && !(await mayWrite(ctx, target, policy, 'ifFileExists'))) return { file: null, binary: null };
      await ctx.host.fs.move(part, target, { overwrite: true });
      const info = await ctx.host.fs.stat(target);
      return { file: info ? fileObject(ctx, info) : null, binary: null };
    } finally {
      if (await ctx.host.fs.stat(part).catch(() => null)) await ctx.host.fs.remove(part).catch(() => undefined);
    }
  },
};

export const webActions: ActionDefinition[] = [invoke, download];
