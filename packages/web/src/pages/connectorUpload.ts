/**
 * The body of `POST /api/envs/:env/connectors` from the files a person picked
 * in the "Import connector" dialog, and where a broken file is broken.
 */
import { ApiError, errorText } from '../api/client.js';

export const DEFINITION_FILE = 'apiDefinition.swagger.json';
export const PROPERTIES_FILE = 'apiProperties.json';
export const ICON_FILE = 'icon.png';

/** A picked file, already read: text for definitions, base64 for the icon. */
export interface PickedFile {
  name: string;
  text: string;
}

export type ConnectorSource =
  | { kind: 'folder'; definition: PickedFile | null; properties: PickedFile | null; iconBase64?: string }
  | { kind: 'openapi'; file: PickedFile | null };

export type ConnectorUploadBody =
  { files: Record<string, string>; id?: string } | { openapi: string; fileName: string; id?: string };

/** The upload body, or a message saying which file is still missing. */
export function connectorUploadBody(source: ConnectorSource, id: string): ConnectorUploadBody | { missing: string } {
  const idPart = id.trim() ? { id: id.trim() } : {};
  if (source.kind === 'openapi') {
    if (!source.file) return { missing: 'Choose an OpenAPI file (JSON or YAML).' };
    return { openapi: source.file.text, fileName: source.file.name, ...idPart };
  }
  if (!source.definition) return { missing: `Choose the folder's ${DEFINITION_FILE}.` };
  if (!source.properties) return { missing: `Choose the folder's ${PROPERTIES_FILE}.` };
  const files: Record<string, string> = {
    [DEFINITION_FILE]: source.definition.text,
    [PROPERTIES_FILE]: source.properties.text,
  };
  if (source.iconBase64 !== undefined) files[ICON_FILE] = source.iconBase64;
  return { files, ...idPart };
}

/** "ledger.yaml, line 3, column 10" from the server's error, when it names a place. */
export function errorPlace(e: unknown): string {
  if (!(e instanceof ApiError)) return '';
  const body = e.details;
  const err =
    typeof body === 'object' && body !== null && 'error' in body ? (body as { error: unknown }).error : undefined;
  if (typeof err !== 'object' || err === null) return '';
  const { file, line, column, pointer } = err as {
    file?: unknown;
    line?: unknown;
    column?: unknown;
    pointer?: unknown;
  };
  const parts: string[] = [];
  if (typeof file === 'string' && file) parts.push(file);
  if (typeof line === 'number') parts.push(`line ${line}`);
  if (typeof column === 'number') parts.push(`column ${column}`);
  if (typeof pointer === 'string' && pointer && !parts.length) parts.push(pointer);
  return parts.join(', ');
}

/** The error as the dialog shows it: place first, then the server's message and hint. */
export function importErrorText(e: unknown): string {
  const place = errorPlace(e);
  return place ? `${place}: ${errorText(e)}` : errorText(e);
}

/** Base64 of a file's bytes (the icon travels as base64 in the JSON body). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
