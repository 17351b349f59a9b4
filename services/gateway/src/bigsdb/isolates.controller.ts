import { BIGSDB_MALFORMED_REQUEST, type PageRequest, renameInvalidJson, TypingSubjects } from '@helixgate/contracts';
import { RpcClient } from '@helixgate/platform';
import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { readJsonObject } from '../http-body';
import { PublicOrigin } from '../public-origin';
import { flag, Page, PagingHeaders, sendTypingDownload } from './bigsdb-http';

/** BIGSdb / PubMLST reads of an isolates database: isolates, their designations and contigs, fields, projects. */
@ApiTags('BIGSdb typing databases')
@Controller('db/:database')
export class BigsdbIsolatesController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('isolates')
  @PagingHeaders()
  @ApiOperation({ summary: 'Isolates (paged; added_*/updated_* date filters, include_old_versions)' })
  listIsolates(@PublicOrigin() baseUri: string, @Param('database') database: string, @Page() page: PageRequest) {
    return this.rpc.request(TypingSubjects.listIsolates, { baseUri, database, page });
  }

  @Get('genomes')
  @PagingHeaders()
  @ApiOperation({ summary: 'Isolates with a genome assembly of at least genome_size bases (default 1,000,000; paged)' })
  listGenomes(@PublicOrigin() baseUri: string, @Param('database') database: string, @Page() page: PageRequest) {
    return this.rpc.request(TypingSubjects.listGenomes, { baseUri, database, page });
  }

  @Post('isolates/search')
  @HttpCode(200)
  @PagingHeaders()
  @ApiOperation({
    summary: 'Search isolates: JSON body of field.{name}, locus.{name} and scheme.{id}.{field} terms (paged)',
  })
  async searchIsolates(
    @PublicOrigin() baseUri: string,
    @Req() request: Request,
    @Param('database') database: string,
    @Page() page: PageRequest,
  ) {
    const terms = await readJsonObject(request).catch(renameInvalidJson(BIGSDB_MALFORMED_REQUEST));
    return this.rpc.request(TypingSubjects.searchIsolates, { baseUri, database, terms, page });
  }

  @Get('isolates/:isolateId')
  @ApiOperation({ summary: 'An isolate record (provenance_only=1: provenance only)' })
  getIsolate(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
    @Query('provenance_only') provenanceOnly: unknown,
  ) {
    return this.rpc.request(TypingSubjects.getIsolate, {
      baseUri,
      database,
      isolateId,
      provenanceOnly: flag(provenanceOnly),
    });
  }

  @Get('isolates/:isolateId/history')
  getIsolateHistory(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
  ) {
    return this.rpc.request(TypingSubjects.getIsolateHistory, { baseUri, database, isolateId });
  }

  @Get('isolates/:isolateId/allele_designations')
  @PagingHeaders()
  listDesignations(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
    @Page() page: PageRequest,
  ) {
    return this.rpc.request(TypingSubjects.listDesignations, { baseUri, database, isolateId, page });
  }

  @Get('isolates/:isolateId/allele_designations/:locus')
  getDesignations(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
    @Param('locus') locus: string,
  ) {
    return this.rpc.request(TypingSubjects.getDesignations, { baseUri, database, isolateId, locus });
  }

  @Get('isolates/:isolateId/allele_ids')
  @PagingHeaders()
  listAlleleIds(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
    @Page() page: PageRequest,
  ) {
    return this.rpc.request(TypingSubjects.listAlleleIds, { baseUri, database, isolateId, page });
  }

  @Get('isolates/:isolateId/schemes/:schemeId/allele_ids')
  getSchemeAlleleIds(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
    @Param('schemeId') schemeId: string,
  ) {
    return this.rpc.request(TypingSubjects.getSchemeAlleleIds, { baseUri, database, isolateId, schemeId });
  }

  @Get('isolates/:isolateId/schemes/:schemeId/allele_designations')
  getSchemeDesignations(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
    @Param('schemeId') schemeId: string,
  ) {
    return this.rpc.request(TypingSubjects.getSchemeDesignations, { baseUri, database, isolateId, schemeId });
  }

  @Get('isolates/:isolateId/contigs')
  @PagingHeaders()
  listContigs(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
    @Page() page: PageRequest,
  ) {
    return this.rpc.request(TypingSubjects.listContigs, { baseUri, database, isolateId, page });
  }

  @Get('isolates/:isolateId/contigs_fasta')
  @ApiOperation({ summary: "An isolate's contigs as FASTA (header=id|original_designation; streamed)" })
  // @Res(): typing-db's stream goes to the raw response as it comes (first chunk read before any header, cut short on a failed read).
  async contigsFasta(
    @Res() response: Response,
    @Param('database') database: string,
    @Param('isolateId') isolateId: string,
    @Query('header') header: unknown,
  ) {
    const chunks = this.rpc.stream(TypingSubjects.contigsFasta, {
      database,
      isolateId,
      header: typeof header === 'string' ? header.slice(0, 50) : undefined,
    });
    await sendTypingDownload(response, chunks);
  }

  @Get('contigs/:contigId')
  getContig(@PublicOrigin() baseUri: string, @Param('database') database: string, @Param('contigId') contigId: string) {
    return this.rpc.request(TypingSubjects.getContig, { baseUri, database, contigId });
  }

  @Get('fields')
  listFields(@PublicOrigin() baseUri: string, @Param('database') database: string) {
    return this.rpc.request(TypingSubjects.listFields, { baseUri, database });
  }

  @Get('fields/:field')
  @PagingHeaders()
  listFieldValues(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('field') field: string,
    @Page() page: PageRequest,
  ) {
    return this.rpc.request(TypingSubjects.listFieldValues, { baseUri, database, field, page });
  }

  @Get('projects')
  listProjects(@PublicOrigin() baseUri: string, @Param('database') database: string) {
    return this.rpc.request(TypingSubjects.listProjects, { baseUri, database });
  }

  @Get('projects/:projectId')
  getProject(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('projectId') projectId: string,
  ) {
    return this.rpc.request(TypingSubjects.getProject, { baseUri, database, projectId });
  }

  @Get('projects/:projectId/isolates')
  @PagingHeaders()
  listProjectIsolates(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('projectId') projectId: string,
    @Page() page: PageRequest,
  ) {
    return this.rpc.request(TypingSubjects.listProjectIsolates, { baseUri, database, projectId, page });
  }
}
