/**
 * The seams of the engine. The interpreter receives everything a run needs as
 * one `RunResources` object; actions receive an `ActionContext`. Nothing here
 * does I/O: the Node.js host (`@patchbay/runtime`), the connector invoker
 * (`@patchbay/connectors`) and the store plug in through these interfaces.
 */
import type { Value, ValueType } from './values.js';
import type { ErrorData } from './errors.js';
import type { Host } from './host.js';
import type { EndpointRuleSet } from './policy/endpoints.js';

/** A parameter of an action (standard or connector operation), declared once for the engine, the validator and the designer's form. */
export interface ParamSpec {
  name: string;
  type: ValueType;
  displayName: string;
  description?: string;
  required?: boolean;
  /** Used when the step does not give the parameter. */
  default?: Value;
  /** Allowed values (a dropdown in the designer). */
  options?: readonly { value: string; title: string }[] | readonly string[];
  /** Folded under "Advanced" in the designer. */
  advanced?: boolean;
  /** Hidden from the designer (internal parameters of connector operations). */
  internal?: boolean;
  /** Taken as written, not evaluated as an expression (variable names, for instance). */
  raw?: boolean;
  /** Redacted in step events and run records. */
  sensitive?: boolean;
  /** Connector operations: where the parameter goes and how its options are loaded. */
  in?: 'path' | 'query' | 'header' | 'body' | 'formData';
  /**
   * Connector operations: the parameter's fields come from the service
   * (`x-ms-dynamic-schema`) once the parameters it depends on have values.
   */
  dynamicSchema?: { dependsOn: readonly string[] };
  dynamicValues?: {
    operationId: string;
    parameters?: Record<string, unknown>;
    valueCollection?: string;
    valuePath?: string;
    valueTitle?: string;
  };
}

/** A variable an action produces. A step may rename it (`produces: {key: "NewName"}`) or turn it off (`produces: {key: false}`). */
export interface ProducedSpec {
  key: string;
  /** The variable name used when the step does not rename it (PAD's default, e.g. `JsonAsCustomObject`). */
  defaultName: string;
  type: ValueType;
  description?: string;
}

/** What an action returns: produced values by key. */
export type ActionResult = Record<string, Value> | void;

export interface ActionDefinition {
  /** Stable id used in flow files, e.g. `Variables.Set`, `Text.Split`. */
  id: string;
  /** Group in the actions pane, e.g. `Variables`, `Text`, `File`. */
  group: string;
  displayName: string;
  description: string;
  params: readonly ParamSpec[];
  produces: readonly ProducedSpec[];
  /** Blocks (If, Loop, …) are run by the interpreter's block executors, not by `run`. */
  kind?: 'action' | 'block' | 'connector';
  /** Nested step lists the block holds (e.g. `["then","else"]`), for validation and the designer. */
  bodies?: readonly string[];
  /** Set when the action cannot run as a step (a connector's trigger, for instance): why, for validation and the designer. */
  notUsableReason?: string;
  /** Connector operations that return their items over several pages (the step's `pagination` applies). */
  pageable?: boolean;
  /** Connector operations whose response fields come from the service once these parameters have values. */
  dynamicOutputs?: { dependsOn: readonly string[] };
  run?(ctx: ActionContext, params: Record<string, Value>): Promise<ActionResult> | ActionResult;
}

export interface ActionRegistry {
  get(id: string): ActionDefinition | undefined;
  list(): ActionDefinition[];
}

/** Connector operations become actions through a catalog the run is handed. */
export interface ConnectorCatalog {
  /** The action for one operation of one connector, or undefined when either is unknown. */
  getOperation(connectorId: string, operationId: string): ActionDefinition | undefined;
  /** Operation ids of one connector (undefined when the connector is unknown), for "did you mean" hints. */
  listOperations?(connectorId: string): string[] | undefined;
  /** Ids of the connectors in the catalog, for "did you mean" hints. */
  listConnectors?(): string[];
}

/** A connection reference resolved to usable credentials for one run. */
export interface ResolvedConnection {
  connectionId: string;
  connectorId: string;
  /** Which auth scheme (parameter set) of the connector the connection uses. */
  scheme?: string;
  /** Non-secret and secret parameter values, decrypted, for the invoker only. Never logged. */
  params: Record<string, unknown>;
  /** Overrides the connector's base URL (self-hosted instances, sandboxes, proxies). */
  baseUrl?: string;
  /** OAuth2 connections: the current access token; `forceRefresh` after a 401. */
  getAccessToken?(opts?: { forceRefresh?: boolean }): Promise<string>;
}

export interface ConnectionResolver {
  /** Resolves a connection reference's logical name for a connector, or throws `connection.unresolved`. */
  resolve(referenceName: string, connectorId: string): Promise<ResolvedConnection>;
}

export interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export interface Clock {
  now(): Date;
  /** Resolves after `ms`, or rejects with `run.cancelled` when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface RunLimits {
  /** Iterations a single loop may make before the run fails with `run.loop_limit`. */
  maxLoopIterations: number;
  /** Nested subflow calls before the run fails. */
  maxCallDepth: number;
}

/** One step event, with inputs and outputs already redacted. */
export type StepEvent =
  | {
      type: 'step.started';
      runStep: number;
      stepPath: string;
      action: string;
      at: string;
      inputs: Record<string, unknown>;
    }
  | {
      type: 'step.finished';
      runStep: number;
      stepPath: string;
      action: string;
      at: string;
      durationMs: number;
      outputs: Record<string, unknown>;
    }
  | {
      type: 'step.failed';
      runStep: number;
      stepPath: string;
      action: string;
      at: string;
      durationMs: number;
      error: ErrorData;
      willRetry: boolean;
    }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; at: string; message: string; stepPath?: string };

/** Everything a run needs, passed in as one object. */
export interface RunResources {
  actions: ActionRegistry;
  connectors?: ConnectorCatalog;
  connections?: ConnectionResolver;
  host: Host;
  logger: Logger;
  clock: Clock;
  signal?: AbortSignal;
  limits?: Partial<RunLimits>;
  /** Receives step events as they happen (live run view, run records). */
  onEvent?(event: StepEvent): void;
  /** Environment variables of the Patchbay environment, readable in expressions. */
  environmentVariables?: Record<string, Value>;
  /** Names whose values are redacted in events and outputs (sensitive inputs, secret environment variables). */
  sensitive?: Iterable<string>;
  /**
   * Endpoint rules of the data-loss-prevention policies that apply to the
   * run's environment (plain data, so it crosses into a runner as it is).
   * Desktop actions of a covered module have every HTTP request checked;
   * connector actions pass them to the invoker, which checks the final URL.
   */
  endpointRules?: readonly EndpointRuleSet[];
}

/** What an action sees while it runs. */
export interface ActionContext {
  host: Host;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  connections?: ConnectionResolver;
  /** The step being run: its path and, for connector steps, its connection reference and retry policy. */
  step: {
    path: string;
    action: string;
    connectionReference?: string;
    retry?: { count?: number; intervalMs?: number };
    /** Connector steps: paging is on, up to this many items (off when absent: the first page only). */
    pagination?: { threshold: number };
  };
  /** The run's endpoint rules (`RunResources.endpointRules`), for connector calls. */
  endpointRules?: readonly EndpointRuleSet[];
  /** Read a variable (custom-object and list actions that take a variable name). */
  getVariable(name: string): Value | undefined;
  /** Write a variable (Variables.Set, Increase, …). */
  setVariable(name: string, value: Value): void;
}
