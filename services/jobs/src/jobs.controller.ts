import { JobSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import type { z } from 'zod';
import { CgiJobs } from './cgi-jobs';
import { KnowledgeBaseStore } from './knowledge-base.store';
import { RunsService } from './runs.service';

type In<K extends keyof typeof JobSubjects> = z.output<(typeof JobSubjects)[K]['request']>;

@Controller()
export class JobsController {
  constructor(
    private readonly runs: RunsService,
    private readonly cgi: CgiJobs,
    private readonly knowledgeBase: KnowledgeBaseStore,
  ) {}

  @HandleRequest(JobSubjects.launchCgi)
  launchCgi(request: In<'launchCgi'>) {
    return this.cgi.launch(request);
  }
  @HandleRequest(JobSubjects.getKnowledgeBase)
  async getKnowledgeBase() {
    return { ...(await this.knowledgeBase.current()) };
  }

  @HandleRequest(JobSubjects.putDefinition)
  putDefinition(definition: In<'putDefinition'>) {
    return this.runs.putDefinition(definition);
  }
  @HandleRequest(JobSubjects.listDefinitions)
  listDefinitions() {
    return this.runs.listDefinitions();
  }
  @HandleRequest(JobSubjects.getDefinition)
  getDefinition({ name }: In<'getDefinition'>) {
    return this.runs.definition(name);
  }
  @HandleRequest(JobSubjects.submitRun)
  submit(request: In<'submitRun'>) {
    return this.runs.submit(request);
  }
  @HandleRequest(JobSubjects.getRun)
  get(request: In<'getRun'>) {
    return this.runs.get(request);
  }
  @HandleRequest(JobSubjects.listRuns)
  list(request: In<'listRuns'>) {
    return this.runs.list(request);
  }
  @HandleRequest(JobSubjects.getLogs)
  logs(request: In<'getLogs'>) {
    return this.runs.logs(request);
  }
  @HandleRequest(JobSubjects.cancelRun)
  cancel(request: In<'cancelRun'>) {
    return this.runs.cancel(request);
  }
  @HandleRequest(JobSubjects.deleteRun)
  delete(request: In<'deleteRun'>) {
    return this.runs.delete(request);
  }
  @HandleRequest(JobSubjects.startRun)
  start(request: In<'startRun'>) {
    return this.runs.start(request);
  }
  @HandleRequest(JobSubjects.appendLog)
  appendLog(request: In<'appendLog'>) {
    return this.runs.appendLog(request);
  }
  @HandleRequest(JobSubjects.finishRun)
  finish(request: In<'finishRun'>) {
    return this.runs.finish(request);
  }
}
