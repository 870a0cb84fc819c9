/** All repositories over one context (the pool, or one transaction). */
import { type RepoContext } from './context.js';
import { type AuditRepository, auditRepository } from './repos/audit.js';
import { type ConnectionsRepository, connectionsRepository } from './repos/connections.js';
import { type ConnectorsRepository, connectorsRepository } from './repos/connectors.js';
import { type EnvVarsRepository, envVarsRepository } from './repos/envVars.js';
import { type EnvironmentsRepository, environmentsRepository } from './repos/environments.js';
import { type EnvironmentRolesRepository, environmentRolesRepository } from './repos/environmentRoles.js';
import { type FlowsRepository, flowsRepository } from './repos/flows.js';
import { type MachinesRepository, machinesRepository } from './repos/machines.js';
import { type PoliciesRepository, policiesRepository } from './repos/policies.js';
import { type ReferencesRepository, referencesRepository } from './repos/references.js';
import { type RunsRepository, runsRepository } from './repos/runs.js';
import { type SessionsRepository, sessionsRepository } from './repos/sessions.js';
import { type SolutionsRepository, solutionsRepository } from './repos/solutions.js';
import { type UsersRepository, usersRepository } from './repos/users.js';

export interface Repositories {
  users: UsersRepository;
  environments: EnvironmentsRepository;
  connectors: ConnectorsRepository;
  connections: ConnectionsRepository<Repositories>;
  references: ReferencesRepository;
  envVars: EnvVarsRepository;
  flows: FlowsRepository;
  runs: RunsRepository;
  solutions: SolutionsRepository;
  sessions: SessionsRepository;
  audit: AuditRepository;
  policies: PoliciesRepository;
  machines: MachinesRepository;
  environmentRoles: EnvironmentRolesRepository;
}

export function makeRepositories(ctx: RepoContext): Repositories {
  return {
    users: usersRepository(ctx),
    environments: environmentsRepository(ctx),
    connectors: connectorsRepository(ctx),
    connections: connectionsRepository<Repositories>(ctx, makeRepositories),
    references: referencesRepository(ctx),
    envVars: envVarsRepository(ctx),
    flows: flowsRepository(ctx),
    runs: runsRepository(ctx),
    solutions: solutionsRepository(ctx),
    sessions: sessionsRepository(ctx),
    audit: auditRepository(ctx),
    policies: policiesRepository(ctx),
    machines: machinesRepository(ctx),
    environmentRoles: environmentRolesRepository(ctx),
  };
}
