import {
  BIGSDB_MALFORMED_REQUEST,
  type ObjectRef,
  type PageRequest,
  SEQUENCE_QUERY_MAX_BYTES,
  type SequenceQueryTarget,
  renameInvalidJson,
  ServiceError,
  TypingSubjects,
} from '@helixgate/contracts';
import { RpcClient, TransferStore } from '@helixgate/platform';
import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { sendDownload } from '../download';
import { readJsonObject, readOrParkBody } from '../http-body';
import { publicOrigin } from '../public-origin';

/** The request's paging inputs, as BIGSdb reads them: query parameters and the X-OFFSET / X-PER-PAGE headers. */
function pageRequest(request: Request): PageRequest {
  const at = request.originalUrl.indexOf('?');
  const header = (name: string) =>
    typeof request.headers[name] === 'string' ? (request.headers[name] as string).slice(0, 50) : undefined;
  return {
    path: request.path,
    query: [...new URLSearchParams(at >= 0 ? request.originalUrl.slice(at + 1) : '')],
    offsetHeader: header('x-offset'),
    perPageHeader: header('x-per-page'),
  };
}

/** A BIGSdb flag parameter (with_pk, allele_ids_only…): on for any value but "" and "0", as Perl reads it. */
const flag = (value: unknown) => typeof value === 'string' && value !== '' && value !== '0';

/** Dancer2's text for a body over max_upload_size, as BIGSdb answers it. */
function bodyTooLarge(declaredBytes?: number): string {
  const limit = `${SEQUENCE_QUERY_MAX_BYTES / 1024 ** 2} MB`;
  return declaredBytes === undefined
    ? `POST body is too large - limit is ${limit}`
    : `POST body is too large (${(declaredBytes / 1024 ** 2).toFixed(1)} MB) - limit is ${limit}`;
}

/** BIGSdb / PubMLST REST read routes, answered by the typing-db service. */
@ApiTags('BIGSdb typing databases')
@Controller()
export class BigsdbTypingController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly transfers: TransferStore,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** A download the service streamed into the object store, streamed on to the client as text/plain. */
  private async download(response: Response, ref: ObjectRef): Promise<void> {
    try {
      await sendDownload(response, { 'Content-Type': 'text/plain; charset=UTF-8' }, this.transfers.stream(ref));
    } finally {
      await this.transfers.remove(ref);
    }
  }

  private base(request: Request): string {
    return publicOrigin(request, this.config.PUBLIC_URL, this.config.PORT);
  }

  /** What every read of a database carries: the base for absolute links and the database name. */
  private read(request: Request, database: string): { baseUri: string; database: string } {
    return { baseUri: this.base(request), database };
  }

  private paged(
    response: Response,
    reply: { body: Record<string, unknown>; headers: { perPage: number; offset: number; totalPages: number } },
  ) {
    response.setHeader('X-Per-Page', reply.headers.perPage);
    response.setHeader('X-Offset', reply.headers.offset);
    response.setHeader('X-Total-Pages', reply.headers.totalPages);
    response.json(reply.body);
  }

  @Get(['', 'db'])
  @ApiOperation({ summary: 'Resource groups and their databases' })
  resources(@Req() request: Request) {
    return this.rpc.request(TypingSubjects.listResources, { baseUri: this.base(request) });
  }

  @Get('db/:database')
  @ApiOperation({ summary: 'The resources of a database' })
  database(@Req() request: Request, @Param('database') database: string) {
    return this.rpc.request(TypingSubjects.getDatabase, this.read(request, database));
  }

  @Get('db/:database/loci')
  @ApiOperation({ summary: 'Loci (paged: page, page_size, return_all; X-OFFSET / X-PER-PAGE)' })
  async loci(@Req() request: Request, @Res() response: Response, @Param('database') database: string) {
    this.paged(
      response,
      await this.rpc.request(TypingSubjects.listLoci, { ...this.read(request, database), page: pageRequest(request) }),
    );
  }

  @Get('db/:database/loci/:locus')
  locus(@Req() request: Request, @Param('database') database: string, @Param('locus') locus: string) {
    return this.rpc.request(TypingSubjects.getLocus, { ...this.read(request, database), locus });
  }

  @Get('db/:database/loci/:locus/alleles')
  @ApiOperation({ summary: 'Alleles of a locus (paged)' })
  async alleles(
    @Req() request: Request,
    @Res() response: Response,
    @Param('database') database: string,
    @Param('locus') locus: string,
  ) {
    this.paged(
      response,
      await this.rpc.request(TypingSubjects.listAlleles, {
        ...this.read(request, database),
        locus,
        page: pageRequest(request),
      }),
    );
  }

  @Get('db/:database/loci/:locus/alleles/:alleleId')
  allele(
    @Req() request: Request,
    @Param('database') database: string,
    @Param('locus') locus: string,
    @Param('alleleId') alleleId: string,
  ) {
    return this.rpc.request(TypingSubjects.getAllele, { ...this.read(request, database), locus, alleleId });
  }

  @Get('db/:database/loci/:locus/alleles_fasta')
  @ApiOperation({ summary: 'All alleles of a locus as FASTA (streamed)' })
  async allelesFasta(@Res() response: Response, @Param('database') database: string, @Param('locus') locus: string) {
    await this.download(response, await this.rpc.request(TypingSubjects.allelesFasta, { database, locus }));
  }

  @Get('db/:database/sequences')
  sequences(@Req() request: Request, @Param('database') database: string) {
    return this.rpc.request(TypingSubjects.getSequences, this.read(request, database));
  }

  @Get('db/:database/curators')
  curators(@Req() request: Request, @Param('database') database: string) {
    return this.rpc.request(TypingSubjects.listCurators, this.read(request, database));
  }

  @Get('db/:database/schemes/:schemeId/fields/:field')
  schemeField(
    @Req() request: Request,
    @Param('database') database: string,
    @Param('schemeId') schemeId: string,
    @Param('field') field: string,
  ) {
    return this.rpc.request(TypingSubjects.getSchemeField, { ...this.read(request, database), schemeId, field });
  }

  @Get('db/:database/schemes')
  schemes(@Req() request: Request, @Param('database') database: string) {
    const withPk = flag(request.query.with_pk);
    return this.rpc.request(TypingSubjects.listSchemes, { ...this.read(request, database), withPk });
  }

  @Get('db/:database/schemes/:schemeId')
  scheme(@Req() request: Request, @Param('database') database: string, @Param('schemeId') schemeId: string) {
    return this.rpc.request(TypingSubjects.getScheme, { ...this.read(request, database), schemeId });
  }

  @Get('db/:database/schemes/:schemeId/profiles')
  @ApiOperation({
    summary: 'Profiles of a scheme (paged); an Accept header naming TSV or CSV gets profiles_csv instead',
  })
  async profiles(
    @Req() request: Request,
    @Res() response: Response,
    @Param('database') database: string,
    @Param('schemeId') schemeId: string,
  ) {
    // BIGSdb forwards (internally, no redirect) to profiles_csv when the Accept header mentions tsv or csv.
    if (/tsv|csv/i.test(request.headers.accept ?? '')) return this.profilesCsv(response, database, schemeId);
    this.paged(
      response,
      await this.rpc.request(TypingSubjects.listProfiles, {
        ...this.read(request, database),
        schemeId,
        page: pageRequest(request),
      }),
    );
  }

  @Get('db/:database/schemes/:schemeId/loci')
  @ApiOperation({ summary: 'Loci of a scheme (alleles_added_after, alleles_updated_after, *_reldate filters)' })
  schemeLoci(@Req() request: Request, @Param('database') database: string, @Param('schemeId') schemeId: string) {
    return this.rpc.request(TypingSubjects.listSchemeLoci, {
      ...this.read(request, database),
      schemeId,
      page: pageRequest(request),
    });
  }

  @Get('db/:database/users/:userId')
  user(@Param('database') database: string, @Param('userId') userId: string) {
    return this.rpc.request(TypingSubjects.getUser, { database, userId });
  }

  @Get('db/:database/classification_schemes')
  classificationSchemes(@Req() request: Request, @Param('database') database: string) {
    return this.rpc.request(TypingSubjects.listClassificationSchemes, this.read(request, database));
  }

  @Get('db/:database/classification_schemes/:id')
  classificationScheme(
    @Req() request: Request,
    @Param('database') database: string,
    @Param('id') classificationSchemeId: string,
  ) {
    return this.rpc.request(TypingSubjects.getClassificationScheme, {
      ...this.read(request, database),
      classificationSchemeId,
    });
  }

  @Get('db/:database/classification_schemes/:id/groups')
  @ApiOperation({ summary: 'Groups of a classification scheme (seqdef; paged)' })
  async classificationGroups(
    @Req() request: Request,
    @Res() response: Response,
    @Param('database') database: string,
    @Param('id') classificationSchemeId: string,
  ) {
    this.paged(
      response,
      await this.rpc.request(TypingSubjects.listClassificationGroups, {
        ...this.read(request, database),
        classificationSchemeId,
        page: pageRequest(request),
      }),
    );
  }

  @Get('db/:database/classification_schemes/:id/groups/:groupId')
  @ApiOperation({ summary: 'Profiles (seqdef) or isolates (isolates database) in a classification group (paged)' })
  async classificationGroup(
    @Req() request: Request,
    @Res() response: Response,
    @Param('database') database: string,
    @Param('id') classificationSchemeId: string,
    @Param('groupId') groupId: string,
  ) {
    this.paged(
      response,
      await this.rpc.request(TypingSubjects.getClassificationGroup, {
        ...this.read(request, database),
        classificationSchemeId,
        groupId,
        page: pageRequest(request),
      }),
    );
  }

  @Get('db/:database/isolates')
  @ApiOperation({ summary: 'Isolates (paged; added_*/updated_* date filters, include_old_versions)' })
  async isolates(@Req() request: Request, @Res() response: Response, @Param('database') database: string) {
    this.paged(
      response,
      await this.rpc.request(TypingSubjects.listIsolates, {
        ...this.read(request, database),
        page: pageRequest(request),
      }),
    );
  }

  @Get('db/:database/genomes')
  @ApiOperation({ summary: 'Isolates with a genome assembly of at least genome_size bases (default 1,000,000; paged)' })
  async genomes(@Req() request: Request, @Res() response: Response, @Param('database') database: string) {
    this.paged(
      response,
      await this.rpc.request(TypingSubjects.listGenomes, {
        ...this.read(request, database),
        page: pageRequest(request),
      }),
    );
  }

  /** A sequence query: the body goes on unparsed (through the object store when large); typing-db parses it. */
  private async querySequence(request: Request, database: string, target: SequenceQueryTarget) {
    const body = await readOrParkBody(request, this.transfers, SEQUENCE_QUERY_MAX_BYTES, bodyTooLarge);
    try {
      return await this.rpc.request(TypingSubjects.querySequence, { ...this.read(request, database), target, body });
    } catch (error) {
      // typing-db removes a parked body it read; one it never got (no answer, timeout) is removed here.
      if ('ref' in body) await this.transfers.remove(body.ref);
      throw error;
    }
  }

  @Post('db/:database/loci/:locus/sequence')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Identify the allele of a locus in a sequence or base64 FASTA: exact matches, else the best match',
  })
  queryLocus(@Req() request: Request, @Param('database') database: string, @Param('locus') locus: string) {
    return this.querySequence(request, database, { kind: 'locus', locus });
  }

  @Post('db/:database/sequence')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exact matches of every locus in a sequence or base64 FASTA' })
  queryAllLoci(@Req() request: Request, @Param('database') database: string) {
    return this.querySequence(request, database, { kind: 'all' });
  }

  @Post('db/:database/schemes/:schemeId/sequence')
  @HttpCode(200)
  @ApiOperation({
    summary: "Type a sequence or genome with a scheme: exact matches of its loci and the profile's fields (ST…)",
  })
  queryScheme(@Req() request: Request, @Param('database') database: string, @Param('schemeId') schemeId: string) {
    return this.querySequence(request, database, { kind: 'scheme', schemeId });
  }

  @Post('db/:database/schemes/:schemeId/designations')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The scheme fields (ST…) of an allelic profile given as {designations: {locus: [{allele}]}}',
  })
  async queryDesignations(
    @Req() request: Request,
    @Param('database') database: string,
    @Param('schemeId') schemeId: string,
  ) {
    const body = await readJsonObject(request).catch(renameInvalidJson(BIGSDB_MALFORMED_REQUEST));
    return this.rpc.request(TypingSubjects.queryDesignations, { ...this.read(request, database), schemeId, body });
  }

  @Post('db/:database/isolates/search')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Search isolates: JSON body of field.{name}, locus.{name} and scheme.{id}.{field} terms (paged)',
  })
  async searchIsolates(@Req() request: Request, @Res() response: Response, @Param('database') database: string) {
    const terms = await readJsonObject(request).catch(renameInvalidJson(BIGSDB_MALFORMED_REQUEST));
    this.paged(
      response,
      await this.rpc.request(TypingSubjects.searchIsolates, {
        ...this.read(request, database),
        terms,
        page: pageRequest(request),
      }),
    );
  }

  @Get('db/:database/isolates/:isolateId')
  @ApiOperation({ summary: 'An isolate record (provenance_only=1: provenance only)' })
  isolate(@Req() request: Request, @Param('database') database: string, @Param('isolateId') isolateId: string) {
    return this.rpc.request(TypingSubjects.getIsolate, {
      ...this.read(request, database),
      isolateId,
      provenanceOnly: flag(request.query.provenance_only),
    });
  }

  @Get('db/:database/isolates/:isolateId/history')
  isolateHistory(@Req() request: Request, @Param('database') database: string, @Param('isolateId') isolateId: string) {
    return this.rpc.request(TypingSubjects.getIsolateHistory, { ...this.read(request, database), isolateId });
  }

  @Get('db/:database/isolates/:isolateId/allele_designations')
  async designations(
    @Req() request: Request,
    @Res() response: Response,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
  ) {
    this.paged(
      response,
      await this.rpc.request(TypingSubjects.listDesignations, {
        ...this.read(request, database),
        isolateId,
        page: pageRequest(request),
      }),
    );
  }

  @Get('db/:database/isolates/:isolateId/allele_designations/:locus')
  designation(
    @Req() request: Request,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
    @Param('locus') locus: string,
  ) {
    return this.rpc.request(TypingSubjects.getDesignations, { ...this.read(request, database), isolateId, locus });
  }

  @Get('db/:database/isolates/:isolateId/allele_ids')
  async alleleIds(
    @Req() request: Request,
    @Res() response: Response,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
  ) {
    this.paged(
      response,
      await this.rpc.request(TypingSubjects.listAlleleIds, {
        ...this.read(request, database),
        isolateId,
        page: pageRequest(request),
      }),
    );
  }

  @Get('db/:database/isolates/:isolateId/schemes/:schemeId/allele_ids')
  schemeAlleleIds(
    @Req() request: Request,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
    @Param('schemeId') schemeId: string,
  ) {
    return this.rpc.request(TypingSubjects.getSchemeAlleleIds, {
      ...this.read(request, database),
      isolateId,
      schemeId,
    });
  }

  @Get('db/:database/isolates/:isolateId/schemes/:schemeId/allele_designations')
  schemeDesignations(
    @Req() request: Request,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
    @Param('schemeId') schemeId: string,
  ) {
    return this.rpc.request(TypingSubjects.getSchemeDesignations, {
      ...this.read(request, database),
      isolateId,
      schemeId,
    });
  }

  @Get('db/:database/isolates/:isolateId/contigs')
  async contigs(
    @Req() request: Request,
    @Res() response: Response,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
  ) {
    this.paged(
      response,
      await this.rpc.request(TypingSubjects.listContigs, {
        ...this.read(request, database),
        isolateId,
        page: pageRequest(request),
      }),
    );
  }

  @Get('db/:database/isolates/:isolateId/contigs_fasta')
  @ApiOperation({ summary: "An isolate's contigs as FASTA (header=id|original_designation; streamed)" })
  async contigsFasta(
    @Req() request: Request,
    @Res() response: Response,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
  ) {
    const header = typeof request.query.header === 'string' ? request.query.header.slice(0, 50) : undefined;
    await this.download(response, await this.rpc.request(TypingSubjects.contigsFasta, { database, isolateId, header }));
  }

  @Get('db/:database/contigs/:contigId')
  contig(@Req() request: Request, @Param('database') database: string, @Param('contigId') contigId: string) {
    return this.rpc.request(TypingSubjects.getContig, { ...this.read(request, database), contigId });
  }

  @Get('db/:database/fields')
  fields(@Req() request: Request, @Param('database') database: string) {
    return this.rpc.request(TypingSubjects.listFields, this.read(request, database));
  }

  @Get('db/:database/fields/:field')
  async fieldValues(
    @Req() request: Request,
    @Res() response: Response,
    @Param('database') database: string,
    @Param('field') field: string,
  ) {
    this.paged(
      response,
      await this.rpc.request(TypingSubjects.listFieldValues, {
        ...this.read(request, database),
        field,
        page: pageRequest(request),
      }),
    );
  }

  @Get('db/:database/projects')
  projects(@Req() request: Request, @Param('database') database: string) {
    return this.rpc.request(TypingSubjects.listProjects, this.read(request, database));
  }

  @Get('db/:database/projects/:projectId')
  project(@Req() request: Request, @Param('database') database: string, @Param('projectId') projectId: string) {
    return this.rpc.request(TypingSubjects.getProject, { ...this.read(request, database), projectId });
  }

  @Get('db/:database/projects/:projectId/isolates')
  async projectIsolates(
    @Req() request: Request,
    @Res() response: Response,
    @Param('database') database: string,
    @Param('projectId') projectId: string,
  ) {
    this.paged(
      response,
      await this.rpc.request(TypingSubjects.listProjectIsolates, {
        ...this.read(request, database),
        projectId,
        page: pageRequest(request),
      }),
    );
  }

  @Get('db/:database/schemes/:schemeId/profiles/:profileId')
  profile(
    @Req() request: Request,
    @Param('database') database: string,
    @Param('schemeId') schemeId: string,
    @Param('profileId') profileId: string,
  ) {
    const alleleIdsOnly = flag(request.query.allele_ids_only);
    return this.rpc.request(TypingSubjects.getProfile, {
      ...this.read(request, database),
      schemeId,
      profileId,
      alleleIdsOnly,
    });
  }

  @Get('db/:database/schemes/:schemeId/profiles_csv')
  @ApiOperation({ summary: 'All profiles of a scheme, tab-separated (streamed)' })
  async profilesCsv(
    @Res() response: Response,
    @Param('database') database: string,
    @Param('schemeId') schemeId: string,
  ) {
    await this.download(response, await this.rpc.request(TypingSubjects.profilesCsv, { database, schemeId }));
  }
}
