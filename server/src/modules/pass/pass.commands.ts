import { readFileSync } from 'node:fs';
import type { ModuleCommands } from '../../kernel/module';
import { describeVerification, verifyChainLines } from './audit-chain';

/** `toride audit verify`: the audit export's hash chain, checked offline (no app is built). */
export const passCommands: ModuleCommands<unknown> = (program) => {
  program
    .command('audit')
    .description('Audit log tools.')
    .command('verify')
    .description('Check the hash chain of a JSON Lines audit export offline; names the first broken link.')
    .argument('<export>', 'a .jsonl file from GET /api/v1/orgs/:orgId/audit-events/export?format=jsonl')
    .action((file: string) => {
      // Offline on purpose: no configuration, no database, only the file.
      const result = verifyChainLines(readFileSync(file, 'utf8').split('\n'));
      const text = describeVerification(result);
      if (result.ok) process.stdout.write(`${text}\n`);
      else {
        process.stderr.write(`${text}\n`);
        process.exitCode = 1;
      }
    });
};
