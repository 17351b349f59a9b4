import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { BIOMARKERS_FILE, CANCER_GENES_FILE, parseKnowledgeBase } from '@helixgate/cgi';
import { JobSubjects } from '@helixgate/contracts';
import { STARTER_KNOWLEDGE_BASE } from '../src/knowledge-base/starter-knowledge-base';

describe('jobs.knowledge-base.get reply', () => {
  test('the starter knowledge base goes through the reply schema unchanged (no field stripped)', () => {
    const kb = parseKnowledgeBase({
      cancerGenes: readFileSync(join(STARTER_KNOWLEDGE_BASE, CANCER_GENES_FILE), 'utf8'),
      biomarkers: readFileSync(join(STARTER_KNOWLEDGE_BASE, BIOMARKERS_FILE), 'utf8'),
    });
    assert.ok(kb.cancerGenes.length > 0 && kb.biomarkers.length > 0 && kb.variants.length > 0);
    assert.deepEqual(JobSubjects.getKnowledgeBase.reply.parse(kb), kb);
  });
});
