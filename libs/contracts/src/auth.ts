import { z } from 'zod';
import { defineSubject } from './subject';
import { DatabaseNameSchema } from './typing-db';

export const ROLES = ['user', 'curator', 'admin'] as const;
export const ACCOUNT_STATUSES = ['active', 'disabled'] as const;

const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address');
const Password = z.string().min(10, 'must be at least 10 characters').max(1024);
const Name = z.string().trim().min(1).max(200);
const DatabaseName = DatabaseNameSchema;
const Id = z.string().regex(/^[a-f0-9]{24}$/);

/** Who is making a request, as the auth service vouches for it. */
export const IdentitySchema = z.object({
  accountId: Id,
  email: z.string(),
  firstName: z.string(),
  surname: z.string(),
  affiliation: z.string(),
  role: z.enum(ROLES),
});
export type Identity = z.infer<typeof IdentitySchema>;

export const AccountViewSchema = IdentitySchema.extend({
  status: z.enum(ACCOUNT_STATUSES),
  createdAt: z.string().datetime(),
});

export const NewAccountSchema = z.object({
  email: Email,
  firstName: Name,
  surname: Name,
  affiliation: z.string().trim().max(300).default(''),
  role: z.enum(ROLES).default('user'),
  password: Password,
});

/** A request as its client signed it: method, base URL (scheme, host, path) and every signed parameter. */
export const SignedRequestSchema = z.object({
  method: z.string().regex(/^[A-Z]{3,7}$/),
  url: z.string().url().max(2048),
  params: z.array(z.tuple([z.string().max(4096), z.string().max(65536)])).max(500),
});
export type SignedRequest = z.infer<typeof SignedRequestSchema>;

export const TokenPairSchema = z.object({ oauth_token: z.string(), oauth_token_secret: z.string() });

export const OAuthClientPermissionSchema = z.object({ database: DatabaseName, submission: z.boolean().default(false) });

export const OAuthClientViewSchema = z.object({
  consumerKey: z.string(),
  name: z.string(),
  allDatabases: z.boolean(),
  permissions: z.array(OAuthClientPermissionSchema),
  allDatabasesSubmission: z.boolean(),
  createdAt: z.string().datetime(),
  revoked: z.boolean(),
});

export const ApiTokenViewSchema = z.object({
  id: Id,
  label: z.string(),
  createdAt: z.string().datetime(),
  lastUsedAt: z.string().datetime().optional(),
});

export const AuthorizationViewSchema = z.object({
  id: Id,
  clientName: z.string(),
  consumerKey: z.string(),
  database: z.string(),
  createdAt: z.string().datetime(),
});

const AccountRef = z.object({ accountId: Id });

export const AuthSubjects = {
  createAccount: defineSubject('auth.accounts.create.v1', NewAccountSchema, AccountViewSchema),
  listAccounts: defineSubject(
    'auth.accounts.list.v1',
    z.object({}),
    z.object({ accounts: z.array(AccountViewSchema) }),
  ),
  updateAccount: defineSubject(
    'auth.accounts.update.v1',
    z.object({
      email: Email,
      role: z.enum(ROLES).optional(),
      status: z.enum(ACCOUNT_STATUSES).optional(),
      password: Password.optional(),
    }),
    AccountViewSchema,
  ),
  /** Email and password (HTTP Basic, the login form). */
  verifyPassword: defineSubject(
    'auth.credentials.verify.v1',
    z.object({ email: z.string().max(254), password: z.string().max(1024) }),
    IdentitySchema,
  ),

  createApiToken: defineSubject(
    'auth.api-tokens.create.v1',
    AccountRef.extend({ label: z.string().trim().max(100).default('') }),
    ApiTokenViewSchema.extend({ token: z.string() }),
  ),
  listApiTokens: defineSubject(
    'auth.api-tokens.list.v1',
    AccountRef,
    z.object({ tokens: z.array(ApiTokenViewSchema) }),
  ),
  revokeApiToken: defineSubject(
    'auth.api-tokens.revoke.v1',
    AccountRef.extend({ id: Id }),
    z.object({ revoked: z.literal(true) }),
  ),
  /** `Authorization: <email> <token>`, as the CGI API takes it. */
  verifyApiToken: defineSubject(
    'auth.api-tokens.verify.v1',
    z.object({ email: z.string().max(254), token: z.string().max(200) }),
    IdentitySchema,
  ),

  createWebSession: defineSubject(
    'auth.web-sessions.create.v1',
    z.object({ email: z.string().max(254), password: z.string().max(1024) }),
    z.object({ sessionId: z.string(), expiresAt: z.string().datetime() }),
  ),
  resolveWebSession: defineSubject(
    'auth.web-sessions.resolve.v1',
    z.object({ sessionId: z.string().max(100) }),
    IdentitySchema,
  ),
  deleteWebSession: defineSubject(
    'auth.web-sessions.delete.v1',
    z.object({ sessionId: z.string().max(100) }),
    z.object({ deleted: z.boolean() }),
  ),

  createOAuthClient: defineSubject(
    'auth.oauth-clients.create.v1',
    z.object({
      name: Name,
      allDatabases: z.boolean().default(false),
      allDatabasesSubmission: z.boolean().default(false),
      permissions: z.array(OAuthClientPermissionSchema).default([]),
    }),
    OAuthClientViewSchema.extend({ consumerSecret: z.string() }),
  ),
  listOAuthClients: defineSubject(
    'auth.oauth-clients.list.v1',
    z.object({}),
    z.object({ clients: z.array(OAuthClientViewSchema) }),
  ),
  revokeOAuthClient: defineSubject(
    'auth.oauth-clients.revoke.v1',
    z.object({ consumerKey: z.string().max(100) }),
    z.object({ revoked: z.literal(true) }),
  ),

  requestToken: defineSubject(
    'auth.oauth.request-token.v1',
    z.object({ database: DatabaseName, request: SignedRequestSchema }),
    TokenPairSchema.extend({ oauth_callback_confirmed: z.literal('true') }),
  ),
  describeRequestToken: defineSubject(
    'auth.oauth.describe-request-token.v1',
    z.object({ database: DatabaseName, token: z.string().max(100) }),
    z.object({ clientName: z.string(), database: z.string(), expiresAt: z.string().datetime() }),
  ),
  authorizeRequestToken: defineSubject(
    'auth.oauth.authorize.v1',
    AccountRef.extend({ database: DatabaseName, token: z.string().max(100) }),
    z.object({ oauth_verifier: z.string(), clientName: z.string() }),
  ),
  accessToken: defineSubject(
    'auth.oauth.access-token.v1',
    z.object({ database: DatabaseName, request: SignedRequestSchema }),
    TokenPairSchema,
  ),
  sessionToken: defineSubject(
    'auth.oauth.session-token.v1',
    z.object({ database: DatabaseName, request: SignedRequestSchema }),
    TokenPairSchema,
  ),
  /** A protected call signed with a session token. */
  authenticate: defineSubject(
    'auth.oauth.authenticate.v1',
    z.object({ database: DatabaseName, request: SignedRequestSchema, submission: z.boolean().default(false) }),
    IdentitySchema.extend({ consumerKey: z.string(), clientName: z.string() }),
  ),
  listAuthorizations: defineSubject(
    'auth.oauth.authorizations-list.v1',
    AccountRef,
    z.object({ authorizations: z.array(AuthorizationViewSchema) }),
  ),
  revokeAuthorization: defineSubject(
    'auth.oauth.authorizations-revoke.v1',
    AccountRef.extend({ id: Id }),
    z.object({ revoked: z.literal(true) }),
  ),
  /** Admin: end every authorisation an account gave (optionally only one client's). */
  revokeAccountAuthorizations: defineSubject(
    'auth.oauth.account-authorizations-revoke.v1',
    z.object({ email: Email, consumerKey: z.string().max(100).optional() }),
    z.object({ revoked: z.number().int() }),
  ),
};
