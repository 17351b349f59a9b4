import { type KnowledgeBase, parseKnowledgeBase, BIOMARKERS_FILE, CANCER_GENES_FILE } from '@helixgate/cgi';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceError } from '@helixgate/contracts';
import type { JobsModels } from './models';

/** The knowledge base the CGI analysis reads: one document, replaced whole by the admin command. */
export class KnowledgeBaseStore {
  constructor(private readonly models: JobsModels) {}

  /** Reads cancer_genes.tsv and biomarkers.tsv from a folder and stores them; the previous base is replaced. */
  async load(directory: string): Promise<{ version: string; cancerGenes: number; biomarkers: number }> {
    const kb = parseKnowledgeBase({
      cancerGenes: readFileSync(join(directory, CANCER_GENES_FILE), 'utf8'),
      biomarkers: readFileSync(join(directory, BIOMARKERS_FILE), 'utf8'),
    });
    await this.models.knowledgeBase.replaceOne(
      { _id: 'current' },
      { _id: 'current', kb, loadedAt: new Date().toISOString() },
      { upsert: true },
    );
    return { version: kb.version, cancerGenes: kb.cancerGenes.length, biomarkers: kb.biomarkers.length };
  }

  async loaded(): Promise<boolean> {
    return (await this.models.knowledgeBase.findById('current', { _id: 1 }).lean()) !== null;
  }

  async current(): Promise<KnowledgeBase> {
    const doc = await this.models.knowledgeBase.findById('current').lean();
    if (!doc) throw ServiceError.unavailable('No knowledge base is loaded; run npm run jobs -- load-knowledge-base.');
    return doc.kb;
  }
}
