import type { CliCommand } from '../../platform/modules/feature-module.ts';
import { passwordProblem } from '../../platform/auth/passwords.ts';
import { createOrResetAdmin } from './bootstrap.ts';

export const accessCommands: Record<string, CliCommand> = {
  'create-admin': {
    summary: 'Create an Admin staff account (or, with --reset-password, restore access to one)',
    usage: '--email <email> [--name <name>] [--password-stdin] [--reset-password]',
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'reset-password': { type: 'boolean' },
    },
    async run(values, cli) {
      const email = typeof values.email === 'string' ? values.email : undefined;
      if (email === undefined || !email.includes('@')) {
        process.stderr.write('--email <address> is required.\n');
        return 2;
      }
      const password = await cli.readPassword(
        'Password (at least 12 characters): ',
        values['password-stdin'] === true,
      );
      const problem = passwordProblem(password, email);
      if (problem !== null) {
        process.stderr.write(`The password ${problem}.\n`);
        return 1;
      }
      const outcome = await cli.withDatabase(async (db, config) =>
        createOrResetAdmin(db, await cli.auditWriter(config), {
          email,
          name: typeof values.name === 'string' ? values.name : 'Administrator',
          password,
          resetPassword: values['reset-password'] === true,
        }),
      );
      cli.out(
        outcome === 'created'
          ? `Created Admin ${email}.`
          : `Reset ${email}: active Admin with the new password.`,
      );
      return 0;
    },
  },
};
