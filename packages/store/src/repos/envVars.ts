/**
 * Environment variables: definitions (schema name, type, default) shared by
 * all environments, and a value per environment. Values of type `secret` are
 * sealed like connection secrets and only `resolve` opens them (for a run).
 */
import type { Selectable } from 'kysely';
import type { Value } from '@patchbay/core';
import {
  type RepoContext,
  atomic,
  checkName,
  checkOptionalText,
  checkText,
  conflict,
  invalid,
  notFound,
  now,
  referencing,
  uniquely,
} from '../context.js';
import type { EnvVarDefinitionsTable } from '../schema.js';

export type EnvVarType = 'text' | 'number' | 'boolean' | 'json' | 'secret';
export const ENV_VAR_TYPES: readonly EnvVarType[] = ['text', 'number', 'boolean', 'json', 'secret'];

/** A JSON value (what an environment variable holds). */
export type JsonValue = null | string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

export interface EnvVarDefinition {
  schemaName: string;
  displayName: string;
  type: EnvVarType;
  defaultValue: JsonValue | undefined;
  description: string | null;
  createdAt: string;
}

/** A definition with its value in one environment; secret values are never included. */
export interface EnvVarEntry extends EnvVarDefinition {
  environment: string;
  hasValue: boolean;
  /** The environment's value (undefined when unset or secret). */
  value: JsonValue | undefined;
}

function toDefinition(r: Selectable<EnvVarDefinitionsTable>): EnvVarDefinition {
  return {
    schemaName: r.schemaName,
    displayName: r.displayName,
    type: r.type as EnvVarType,
    defaultValue: r.defaultValue === null ? undefined : (JSON.parse(r.defaultValue) as JsonValue),
    description: r.description,
    createdAt: r.createdAt,
  };
}

/** Checks a value against its type; throws `store.invalid` naming the variable. */
export function checkEnvVarValue(schemaName: string, type: EnvVarType, value: unknown): JsonValue {
  const ok = (() => {
    switch (type) {
      case 'text':
      case 'secret':
        return typeof value === 'string';
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      case 'boolean':
        return typeof value === 'boolean';
      case 'json':
        try {
          return value !== undefined && JSON.stringify(value) !== undefined;
        } catch {
          return false;
        }
    }
  })();
  if (!ok)
    throw invalid(
      `Environment variable "${schemaName}" is of type ${type}; the value given is not.`,
      type === 'json' ? 'Give any JSON value.' : `Give a ${type === 'secret' ? 'text' : type} value.`,
    );
  return value as JsonValue;
}

const sealContext = (environment: string, schemaName: string) => `envvar:${environment}:${schemaName}`;

export function envVarsRepository(ctx: RepoContext) {
  const { db, sealer } = ctx;
  const what = (schemaName: string) => `Environment variable "${schemaName}"`;

  async function getDefinition(schemaName: string): Promise<EnvVarDefinition> {
    const r = await db
      .selectFrom('envVarDefinitions')
      .selectAll()
      .where('schemaName', '=', schemaName)
      .executeTakeFirst();
    if (!r) throw notFound(what(schemaName));
    return toDefinition(r);
  }

  async function define(input: {
    schemaName: string;
    type: EnvVarType;
    displayName?: string;
    defaultValue?: JsonValue;
    description?: string;
  }): Promise<EnvVarDefinition> {
    checkName('Schema name', input.schemaName);
    if (!ENV_VAR_TYPES.includes(input.type))
      throw invalid(`Type "${String(input.type)}" is not one of ${ENV_VAR_TYPES.join(', ')}.`);
    if (input.type === 'secret' && input.defaultValue !== undefined)
      throw invalid(
        `${what(input.schemaName)} is a secret and cannot have a default value.`,
        'Set its value per environment instead.',
      );
    const defaultValue =
      input.defaultValue === undefined
        ? null
        : JSON.stringify(checkEnvVarValue(input.schemaName, input.type, input.defaultValue));
    const r = {
      schemaName: input.schemaName,
      displayName: input.displayName ? checkText('A display name', input.displayName) : input.schemaName,
      type: input.type,
      defaultValue,
      description: checkOptionalText('A description', input.description),
      createdAt: now(),
    };
    await uniquely(ctx, `${what(input.schemaName)} is already defined.`, undefined, () =>
      db.insertInto('envVarDefinitions').values(r).execute(),
    );
    return toDefinition(r);
  }

  return {
    define,
    getDefinition,

    /** Defines, or updates display name, default and description; a different type is a conflict. */
    async upsertDefinition(input: {
      schemaName: string;
      type: EnvVarType;
      displayName?: string;
      defaultValue?: JsonValue;
      description?: string;
    }): Promise<EnvVarDefinition> {
      const existing = await db
        .selectFrom('envVarDefinitions')
        .selectAll()
        .where('schemaName', '=', input.schemaName)
        .executeTakeFirst();
      if (!existing) return define(input);
      if (existing.type !== input.type)
        throw conflict(`${what(input.schemaName)} is of type ${existing.type}, not ${input.type}.`);
      const set = {
        displayName: input.displayName ? checkText('A display name', input.displayName) : existing.displayName,
        defaultValue:
          input.defaultValue === undefined
            ? existing.defaultValue
            : JSON.stringify(checkEnvVarValue(input.schemaName, input.type, input.defaultValue)),
        description:
          input.description === undefined
            ? existing.description
            : checkOptionalText('A description', input.description),
      };
      await db.updateTable('envVarDefinitions').set(set).where('schemaName', '=', input.schemaName).execute();
      return toDefinition({ ...existing, ...set });
    },

    async listDefinitions(): Promise<EnvVarDefinition[]> {
      return (await db.selectFrom('envVarDefinitions').selectAll().orderBy('schemaName').execute()).map(toDefinition);
    },

    /** Deletes a definition and its values in every environment. */
    async deleteDefinition(schemaName: string): Promise<void> {
      await atomic(ctx, async (tx) => {
        await tx.db.deleteFrom('envVarValues').where('schemaName', '=', schemaName).execute();
        const r = await tx.db.deleteFrom('envVarDefinitions').where('schemaName', '=', schemaName).executeTakeFirst();
        if (r.numDeletedRows === 0n) throw notFound(what(schemaName));
      });
    },

    async setValue(environment: string, schemaName: string, value: JsonValue): Promise<void> {
      const def = await getDefinition(schemaName);
      const checked = checkEnvVarValue(schemaName, def.type, value);
      const row =
        def.type === 'secret'
          ? { value: null, sealedValue: sealer.seal(checked as string, sealContext(environment, schemaName)) }
          : { value: JSON.stringify(checked), sealedValue: null };
      const t = now();
      await referencing(
        ctx,
        () => notFound(`Environment "${environment}"`),
        () =>
          db
            .insertInto('envVarValues')
            .values({ environment, schemaName, ...row, updatedAt: t })
            .onConflict((oc) => oc.columns(['environment', 'schemaName']).doUpdateSet({ ...row, updatedAt: t }))
            .execute(),
      );
    },

    async clearValue(environment: string, schemaName: string): Promise<void> {
      await db
        .deleteFrom('envVarValues')
        .where('environment', '=', environment)
        .where('schemaName', '=', schemaName)
        .execute();
    },

    /** Every definition with its value in `environment`; secret values are left out. */
    async list(environment: string): Promise<EnvVarEntry[]> {
      const rows = await db
        .selectFrom('envVarDefinitions')
        .leftJoin('envVarValues', (j) =>
          j
            .onRef('envVarValues.schemaName', '=', 'envVarDefinitions.schemaName')
            .on('envVarValues.environment', '=', environment),
        )
        .selectAll('envVarDefinitions')
        .select(['envVarValues.value as value', 'envVarValues.sealedValue as sealedValue'])
        .orderBy('envVarDefinitions.schemaName')
        .execute();
      return rows.map((r) => ({
        ...toDefinition(r),
        environment,
        hasValue: r.value !== null || r.sealedValue !== null,
        value: r.value === null ? undefined : (JSON.parse(r.value) as JsonValue),
      }));
    },

    /**
     * The values a run in `environment` sees (value, else default), with
     * secrets opened, and the names of the secret ones so the run redacts them.
     */
    async resolve(environment: string): Promise<{ values: Record<string, Value>; secretNames: string[] }> {
      const rows = await db
        .selectFrom('envVarDefinitions')
        .leftJoin('envVarValues', (j) =>
          j
            .onRef('envVarValues.schemaName', '=', 'envVarDefinitions.schemaName')
            .on('envVarValues.environment', '=', environment),
        )
        .select([
          'envVarDefinitions.schemaName as schemaName',
          'envVarDefinitions.type as type',
          'envVarDefinitions.defaultValue as defaultValue',
          'envVarValues.value as value',
          'envVarValues.sealedValue as sealedValue',
        ])
        .execute();
      const values: Record<string, Value> = {};
      const secretNames: string[] = [];
      for (const r of rows) {
        if (r.type === 'secret') secretNames.push(r.schemaName);
        if (r.sealedValue !== null)
          values[r.schemaName] = sealer.open(r.sealedValue, sealContext(environment, r.schemaName));
        else if (r.value !== null) values[r.schemaName] = JSON.parse(r.value) as Value;
        else if (r.defaultValue !== null) values[r.schemaName] = JSON.parse(r.defaultValue) as Value;
      }
      return { values, secretNames };
    },
  };
}

export type EnvVarsRepository = ReturnType<typeof envVarsRepository>;
