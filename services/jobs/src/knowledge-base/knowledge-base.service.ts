import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIOMARKERS_FILE, CANCER_GENES_FILE, parseKnowledgeBase } from '@helixgate/cgi';
import { type JobSubjects, type ReplyOf, ServiceError } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { KnowledgeBaseRepository } from './knowledge-base.repository';

/** The knowledge base the CGI analysis reads: one document, replaced whole by the admin command. */
@Injectable()
export class KnowledgeBaseService {
  constructor(private readonly knowledgeBase: KnowledgeBaseRepository) {}

  /** Reads cancer_genes.tsv and biomarkers.tsv from a folder and stores them; the previous base is replaced. */
  async load(directory: string): Promise<{ version: string; cancerGenes: number; biomarkers: number }> {
    const kb = parseKnowledgeBase({
      cancerGenes: readFileSync(join(directory, CANCER_GENES_FILE), 'utf8'),
      biomarkers: readFileSync(join(directory, BIOMARKERS_FILE), 'utf8'),
    });
    await this.knowledgeBase.replaceCurrent(kb);
    return { version: kb.version, cancerGenes: kb.cancerGenes.length, biomarkers: kb.biomarkers.length };
  }

  loaded(): Promise<boolean> {
    return this.knowledgeBase.hasCurrent();
  }

  /** libs/cgi's KnowledgeBase, as the reply schema spells it. */
  async getKnowledgeBase(): Promise<ReplyOf<typeof JobSubjects.getKnowledgeBase>> {
    const doc = await this.knowledgeBase.findCurrent();
    if (!doc) throw ServiceError.unavailable('No knowledge base is loaded; run npm run jobs -- load-knowledge-base.');
    return doc.kb;
  }
}
