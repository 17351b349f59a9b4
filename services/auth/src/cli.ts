// npm run admin -- <command> [--option value …]: manage accounts and OAuth clients without the API, so a
// fresh install can be set up (the first admin). Works on the auth database directly; same rules as the API.
import { parseArgs } from 'node:util';
import { AuthSubjects, ServiceError } from '@helixgate/contracts';
import { describeIssues, openCommandContext } from '@helixgate/platform';
import { ZodError } from 'zod';
import { AccountsService } from './accounts/accounts.service';
import { AuthStoreModule } from './auth.module';
import { AuthEnvSchema } from './config';
import { OAuthService } from './oauth/oauth.service';

const USAGE = `usage: npm run admin -- <command> [options]

  create-account --email E --first-name F --surname S [--affiliation A] [--role user|curator|admin]
                 (password from --password, or from HELIXGATE_PASSWORD)
  update-account --email E [--role R] [--status active|disabled] [--password P]
  list-accounts
  create-client --name N [--database D …] [--submission-database D …] [--all-databases] [--all-databases-submission]
                (prints the consumer key and secret, once)
  list-clients
  revoke-client --key K
  revoke-authorizations --email E [--key K]   (end the OAuth access a user gave: all clients, or one)

Reads the same environment as the auth service (MONGODB_URI, MONGODB_DATABASE, AUTH_SECRET_KEY).`;

async function main(argv: string[]): Promise<unknown> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      'first-name': { type: 'string' },
      surname: { type: 'string' },
      affiliation: { type: 'string' },
      role: { type: 'string' },
      status: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      database: { type: 'string', multiple: true },
      'submission-database': { type: 'string', multiple: true },
      'all-databases': { type: 'boolean' },
      'all-databases-submission': { type: 'boolean' },
      key: { type: 'string' },
    },
    strict: true,
  });
  const app = await openCommandContext({
    name: 'auth-admin',
    envSchema: AuthEnvSchema,
    needs: { mongo: true },
    module: AuthStoreModule,
  });
  const store = { accounts: app.get(AccountsService), oauth: app.get(OAuthService) };
  try {
    switch (command) {
      case 'create-account':
        return await store.accounts.create(
          AuthSubjects.createAccount.request.parse({
            email: values.email,
            firstName: values['first-name'],
            surname: values.surname,
            affiliation: values.affiliation,
            role: values.role,
            password: values.password ?? process.env.HELIXGATE_PASSWORD,
          }),
        );
      case 'update-account':
        return await store.accounts.update(
          AuthSubjects.updateAccount.request.parse({
            email: values.email,
            role: values.role,
            status: values.status,
            password: values.password,
          }),
        );
      case 'list-accounts':
        return await store.accounts.list();
      case 'create-client': {
        const submission = new Set(values['submission-database'] ?? []);
        const databases = new Set([...(values.database ?? []), ...submission]);
        return await store.oauth.createClient(
          AuthSubjects.createOAuthClient.request.parse({
            name: values.name,
            allDatabases: values['all-databases'] ?? false,
            allDatabasesSubmission: values['all-databases-submission'] ?? false,
            permissions: [...databases].map((database) => ({ database, submission: submission.has(database) })),
          }),
        );
      }
      case 'list-clients':
        return await store.oauth.listClients();
      case 'revoke-authorizations': {
        const { email, consumerKey } = AuthSubjects.revokeAccountAuthorizations.request.parse({
          email: values.email,
          consumerKey: values.key,
        });
        return await store.oauth.revokeAccountAuthorizations(email, consumerKey);
      }
      case 'revoke-client':
        return await store.oauth.revokeClient(values.key ?? '');
      default:
        throw new UsageError(command ? `unknown command ${command}` : 'no command');
    }
  } finally {
    await app.close();
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  },
  (error: unknown) => {
    if (error instanceof ZodError) {
      process.stderr.write(`admin: ${describeIssues(error, 'input')}\n`);
    } else if (
      error instanceof ServiceError ||
      error instanceof UsageError ||
      (error instanceof Error && error.name === 'ConfigError')
    ) {
      process.stderr.write(`admin: ${error.message}\n${error instanceof UsageError ? `\n${USAGE}\n` : ''}`);
    } else if (error instanceof TypeError && 'code' in error) {
      process.stderr.write(`admin: ${error.message}\n\n${USAGE}\n`);
    } else {
      process.stderr.write(`admin: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    process.exit(2);
  },
);
