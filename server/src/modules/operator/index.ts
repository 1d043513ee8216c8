import { operatorCommands } from './operator.commands';
import type { Kysely } from 'kysely';
import type { Kernel, ModuleDefinition, StoreDescription } from '../../kernel/module';
import type { IdentityApi } from '../identity';
import { operatorStoreSpec, type OperatorDb } from './operator.db';
import { operatorAuthenticator, operatorRoutes } from './operator.routes';
import { createOperator, type OperatorDeps } from './operator.service';

export interface OperatorApi {
  createOperator(input: { email: string; name: string; password: string }): ReturnType<typeof createOperator>;
}

/** Operators are a separate population from org accounts, with their own store and cookie. */
export async function createOperatorModule(
  kernel: Kernel,
  identity: IdentityApi,
  describeOrg: (orgId: string) => Promise<StoreDescription[]>,
): Promise<{ definition: ModuleDefinition; api: OperatorApi }> {
  const store = await kernel.stores.open<OperatorDb>(operatorStoreSpec(kernel.config));
  const deps: OperatorDeps = { kernel, db: store.db as Kysely<OperatorDb> };
  return {
    definition: {
      name: 'operator',
      commands: operatorCommands,
      stores: async () => [store],
      authenticators: [operatorAuthenticator(deps)],
      routes: operatorRoutes({ ...deps, identity, describeOrg }),
    },
    api: { createOperator: (input) => createOperator(deps, input) },
  };
}
