import { JobSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { KnowledgeBaseService } from './knowledge-base.service';

/** The jobs.knowledge-base.* subjects. */
@Controller()
export class KnowledgeBaseController {
  constructor(private readonly knowledgeBase: KnowledgeBaseService) {}

  @HandleRequest(JobSubjects.getKnowledgeBase)
  getKnowledgeBase() {
    return this.knowledgeBase.getKnowledgeBase();
  }
}
