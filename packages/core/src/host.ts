/**
 * The machine a run touches: files, HTTP, processes and the script sandbox.
 * `@patchbay/runtime` implements it for Node.js; the engine itself never
 * touches any of these directly, so `core` also runs in the browser.
 */
import type { Value } from './values.js';

export interface FileInfo {
  path: string;
  name: string;
  isFile: boolean;
  isDirectory: boolean;
  size: number;
  modified: Date;
}

export interface HostHttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Streams the response body into this file instead of memory (downloads); `body` is then empty. */
  saveTo?: string;
  /** false: answer a redirect as it is, without following it (default: follow up to 10). */
  followRedirects?: boolean;
}

export interface HostHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface Host {
  fs: {
    readFile(path: string): Promise<Uint8Array>;
    writeFile(path: string, data: Uint8Array, opts?: { append?: boolean }): Promise<void>;
    /** `null` when nothing exists at the path. */
    stat(path: string): Promise<FileInfo | null>;
    list(
      dir: string,
      opts?: { pattern?: string; recursive?: boolean; kind?: 'files' | 'folders' | 'all' },
    ): Promise<FileInfo[]>;
    mkdir(path: string): Promise<void>;
    remove(path: string, opts?: { recursive?: boolean }): Promise<void>;
    copy(from: string, to: string, opts?: { overwrite?: boolean }): Promise<void>;
    move(from: string, to: string, opts?: { overwrite?: boolean }): Promise<void>;
  };
  path: {
    sep: string;
    join(...parts: string[]): string;
    resolve(...parts: string[]): string;
    parse(path: string): { root: string; dir: string; base: string; ext: string; name: string };
  };
  http: {
    request(req: HostHttpRequest): Promise<HostHttpResponse>;
  };
  shell: {
    run(
      command: string,
      opts: { cwd?: string; timeoutMs?: number; signal?: AbortSignal; env?: Record<string, string> },
    ): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  };
  script: {
    /**
     * Runs `code` as the body of an async function in a sandbox (top-level `return` and `await` work);
     * `inputs` become global variables; `onConsole` receives what the script logs.
     */
    runJavaScript(
      code: string,
      opts: {
        inputs?: Record<string, Value>;
        timeoutMs?: number;
        memoryBytes?: number;
        signal?: AbortSignal;
        onConsole?(level: 'log' | 'info' | 'warn' | 'error' | 'debug', text: string): void;
      },
    ): Promise<Value>;
  };
  env: {
    get(name: string): string | undefined;
    tempDir(): string;
    cwd(): string;
  };
}
