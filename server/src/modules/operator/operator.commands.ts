import type { ModuleCommands } from '../../kernel/module';
import type { OperatorApi } from './index';

/** `toride operator create`: operators are created on the server's host only, never over HTTP. */
export const operatorCommands: ModuleCommands<{ readonly operator: OperatorApi }> = (program, ctx) => {
  program
    .command('operator')
    .description('Operator accounts.')
    .command('create')
    .description('Create an operator account (TOTP is always required; the secret is printed once).')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (options: { email: string; name: string; passwordStdin?: boolean }) => {
      const password = options.passwordStdin ? await ctx.readStdin() : process.env.TORIDE_OPERATOR_PASSWORD;
      if (!password) {
        process.stderr.write('Give the password on standard input with --password-stdin (or in TORIDE_OPERATOR_PASSWORD).\n');
        process.exit(2);
      }
      await ctx.withApp(async (toride) => {
        const created = await toride.operator.createOperator({ email: options.email, name: options.name, password });
        process.stdout.write(
          `Operator ${created.operator.email} created.\nAdd this TOTP secret to an authenticator app now; it is not shown again:\n  secret: ${created.totpSecret}\n  uri:    ${created.otpauthUri}\n`,
        );
      });
    });
};
