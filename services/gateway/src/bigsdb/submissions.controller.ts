import { Readable } from 'node:stream';
import {
  type Identity,
  INLINE_PAYLOAD_LIMIT_BYTES,
  type ObjectRef,
  type RawJsonBody,
  ServiceError,
  SUBMISSION_MAX_BODY_BYTES,
  SUBMISSION_MAX_MESSAGE_CHARS,
  type SubmissionCaller,
  SubmissionsSubjects,
} from '@helixgate/contracts';
import { RpcClient, TransferStore } from '@helixgate/platform';
import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Authenticated, CurrentIdentity } from '../auth/guards';
import { sendDownload } from '../download';
import { PublicOrigin } from '../public-origin';
import { PagingHeaders } from './bigsdb-http';

/** BIGSdb's answer to a protected call without OAuth credentials. */
const NO_SESSION = 'Unauthorized - Generate new session token.';
const TOO_LARGE = `POST body is too large - limit is ${SUBMISSION_MAX_BODY_BYTES / 1024 ** 2} MB`;
/** Ids longer than this are not BIGSdb's (BIGSdb_YYYYMMDDhhmmss_PID_NNNNN): they do not exist. */
const MAX_ID_LENGTH = 200;
const MAX_MESSAGE_CHARS = SUBMISSION_MAX_MESSAGE_CHARS;

type Caller = Identity & { clientName?: string };

/** The JSON body the OAuth check read, without the oauth_* parameters the Perl client puts in it. */
function bodyOf(request: Request): Record<string, unknown> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(body).filter(([key]) => !key.startsWith('oauth_')));
}

function submissionIdOf(id: string): string {
  if (id.length > MAX_ID_LENGTH) throw ServiceError.notFound('Submission does not exist.');
  return id;
}

/** Strict base64 (whitespace allowed between groups): anything else is a 400, never silently cut short. */
function decodeBase64(value: string): Buffer {
  const compact = value.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact))
    throw ServiceError.badRequest('Upload is not valid base64.');
  return Buffer.from(compact, 'base64');
}

/**
 * BIGSdb curator submissions (`/db/{database}/submissions…`), every route signed with an OAuth session token of a
 * client allowed to submit. The submissions service owns them and checks who may see or change what.
 */
@ApiTags('BIGSdb submissions')
@Controller('db/:database/submissions')
@UseGuards(Authenticated(['oauth-submission'], NO_SESSION))
export class BigsdbSubmissionsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly transfers: TransferStore,
  ) {}

  private call(baseUri: string, database: string, identity: Caller) {
    const { accountId, email, firstName, surname, affiliation } = identity;
    const caller: SubmissionCaller = {
      accountId,
      email,
      firstName,
      surname,
      affiliation,
      clientName: (identity.clientName ?? '').slice(0, 200),
    };
    return { baseUri, database, caller };
  }

  private of(baseUri: string, database: string, identity: Caller, submissionId: string) {
    return { ...this.call(baseUri, database, identity), submissionId: submissionIdOf(submissionId) };
  }

  /** Parks what does not fit in a message in the object store. */
  private async park(bytes: Buffer): Promise<ObjectRef> {
    return this.transfers.put(Readable.from([bytes]), SUBMISSION_MAX_BODY_BYTES, TOO_LARGE);
  }

  @Get()
  @PagingHeaders()
  @ApiOperation({ summary: 'Your submissions (type, status filters; paged)' })
  list(
    @PublicOrigin() baseUri: string,
    @Req() request: Request,
    @Param('database') database: string,
    @CurrentIdentity() identity: Caller,
  ) {
    const at = request.originalUrl.indexOf('?');
    const query = [...new URLSearchParams(at >= 0 ? request.originalUrl.slice(at + 1) : '')]
      .filter(([key]) => !key.startsWith('oauth_'))
      .slice(0, 100);
    const page = {
      path: request.path,
      query: query.map(([k, v]): [string, string] => [k.slice(0, 200), v.slice(0, 2000)]),
    };
    return this.rpc.request(SubmissionsSubjects.list, { ...this.call(baseUri, database, identity), page });
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Submit alleles, profiles, isolates or genomes' })
  async create(
    @PublicOrigin() baseUri: string,
    @Req() request: Request,
    @Param('database') database: string,
    @CurrentIdentity() identity: Caller,
  ) {
    const text = JSON.stringify(bodyOf(request));
    const body: RawJsonBody =
      Buffer.byteLength(JSON.stringify(text)) <= INLINE_PAYLOAD_LIMIT_BYTES
        ? { text }
        : { ref: await this.park(Buffer.from(text)) };
    try {
      return await this.rpc.request(SubmissionsSubjects.create, { ...this.call(baseUri, database, identity), body });
    } catch (error) {
      if ('ref' in body) await this.transfers.remove(body.ref); // the service removes what it read; this is what it never got
      throw error;
    }
  }

  @Get(':submissionId')
  get(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('submissionId') id: string,
    @CurrentIdentity() identity: Caller,
  ) {
    return this.rpc.request(SubmissionsSubjects.get, this.of(baseUri, database, identity, id));
  }

  @Delete(':submissionId')
  @ApiOperation({ summary: 'Delete a closed submission of yours' })
  delete(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('submissionId') id: string,
    @CurrentIdentity() identity: Caller,
  ) {
    return this.rpc.request(SubmissionsSubjects.delete, this.of(baseUri, database, identity, id));
  }

  @Get(':submissionId/messages')
  listMessages(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('submissionId') id: string,
    @CurrentIdentity() identity: Caller,
  ) {
    return this.rpc.request(SubmissionsSubjects.listMessages, this.of(baseUri, database, identity, id));
  }

  @Post(':submissionId/messages')
  @HttpCode(201)
  addMessage(
    @PublicOrigin() baseUri: string,
    @Req() request: Request,
    @Param('database') database: string,
    @Param('submissionId') id: string,
    @CurrentIdentity() identity: Caller,
  ) {
    const message = bodyOf(request).message;
    if (message !== undefined && message !== null && typeof message !== 'string')
      throw ServiceError.badRequest('Invalid value for message.');
    // Bounded here too: a message rides inside a NATS message.
    if (typeof message === 'string' && message.length > MAX_MESSAGE_CHARS)
      throw ServiceError.badRequest(`Message is too long (at most ${MAX_MESSAGE_CHARS} characters).`);
    return this.rpc.request(SubmissionsSubjects.addMessage, { ...this.of(baseUri, database, identity, id), message });
  }

  @Get(':submissionId/files')
  listFiles(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('submissionId') id: string,
    @CurrentIdentity() identity: Caller,
  ) {
    return this.rpc.request(SubmissionsSubjects.listFiles, this.of(baseUri, database, identity, id));
  }

  @Post(':submissionId/files')
  @HttpCode(201)
  @ApiOperation({ summary: 'Upload a supporting file: {"filename": …, "upload": base64}' })
  async uploadFile(
    @PublicOrigin() baseUri: string,
    @Req() request: Request,
    @Param('database') database: string,
    @Param('submissionId') id: string,
    @CurrentIdentity() identity: Caller,
  ) {
    const body = bodyOf(request);
    const filename =
      typeof body.filename === 'string' || typeof body.filename === 'number'
        ? String(body.filename).slice(0, 300)
        : undefined;
    if (body.upload !== undefined && body.upload !== null && typeof body.upload !== 'string')
      throw ServiceError.badRequest('Upload is not valid base64.');
    const bytes = typeof body.upload === 'string' ? decodeBase64(body.upload) : undefined;
    const upload = bytes?.length ? await this.park(bytes) : undefined;
    try {
      return await this.rpc.request(SubmissionsSubjects.uploadFile, {
        ...this.of(baseUri, database, identity, id),
        filename,
        upload,
      });
    } catch (error) {
      if (upload) await this.transfers.remove(upload);
      throw error;
    }
  }

  @Get(':submissionId/files/:filename')
  @ApiOperation({ summary: 'Download a supporting file' })
  // @Res(): sendDownload streams to the raw response (first chunk read before any header, cut short on a failed read).
  async downloadFile(
    @PublicOrigin() baseUri: string,
    @Res() response: Response,
    @Param('database') database: string,
    @Param('submissionId') id: string,
    @Param('filename') filename: string,
    @CurrentIdentity() identity: Caller,
  ) {
    const ref = await this.rpc.request(SubmissionsSubjects.downloadFile, {
      ...this.of(baseUri, database, identity, id),
      filename: filename.slice(0, 300),
    });
    const headers = {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
    };
    try {
      await sendDownload(response, headers, this.transfers.stream(ref));
    } finally {
      await this.transfers.remove(ref);
    }
  }

  @Delete(':submissionId/files/:filename')
  deleteFile(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('submissionId') id: string,
    @Param('filename') filename: string,
    @CurrentIdentity() identity: Caller,
  ) {
    return this.rpc.request(SubmissionsSubjects.deleteFile, {
      ...this.of(baseUri, database, identity, id),
      filename: filename.slice(0, 300),
    });
  }

  @Post(':submissionId/:items/:itemId/:action')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Curators: accept or reject one sequence (seqs/{seq_id}) or profile (profiles/{profile_id}) of a submission',
  })
  curate(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('submissionId') id: string,
    @Param('items') items: string,
    @Param('itemId') itemId: string,
    @Param('action') action: string,
    @CurrentIdentity() identity: Caller,
  ) {
    if ((items !== 'seqs' && items !== 'profiles') || itemId.length > 1000 || action.length > 50)
      throw ServiceError.notFound('Not found');
    return this.rpc.request(SubmissionsSubjects.curate, {
      ...this.of(baseUri, database, identity, id),
      items,
      itemId,
      action,
    });
  }
}
