/**
 * The small expression language of Power Platform policy templates:
 * `@connectionParameters('name')` (optionally with a default,
 * `@connectionParameters('region', 'eu.example.com')`), `@headers('name')`,
 * `@queryParameters('name')` and `@Request.OriginalHTTPMethod`, embedded in
 * text such as `https://@connectionParameters('host')/api`.
 */

export interface TemplateScope {
  connectionParameter(name: string): string | undefined;
  header(name: string): string | undefined;
  queryParameter(name: string): string | undefined;
  method: string;
}

const EXPR =
  /@(connectionParameters|headers|queryParameters)\(\s*'([^']*)'\s*(?:,\s*'([^']*)'\s*)?\)|@Request\.OriginalHTTPMethod/gi;

/** Substitutes every expression; an unknown value becomes its default or empty text. `missing` collects names with no value. */
export function renderTemplate(template: string, scope: TemplateScope, missing?: string[]): string {
  if (!template.includes('@')) return template;
  return template.replace(
    EXPR,
    (whole, fn: string | undefined, name: string | undefined, fallback: string | undefined) => {
      if (!fn) return scope.method;
      const key = name ?? '';
      let v: string | undefined;
      switch (fn.toLowerCase()) {
        case 'connectionparameters':
          v = scope.connectionParameter(key);
          break;
        case 'headers':
          v = scope.header(key);
          break;
        default:
          v = scope.queryParameter(key);
      }
      if (v === undefined || v === '') {
        if (fallback !== undefined) return fallback;
        missing?.push(`${fn}('${key}')`);
        return '';
      }
      return v;
    },
  );
}

/** Connection parameter lookup: `token:x` names a value from the OAuth token response, stored as `token:x` or `x`. */
export function connectionParameterLookup(params: Record<string, unknown>): (name: string) => string | undefined {
  return (name) => {
    let v = params[name];
    if (v === undefined && name.startsWith('token:')) v = params[name.slice('token:'.length)];
    if (v === undefined || v === null) return undefined;
    return typeof v === 'string' ? v : String(v);
  };
}
