import { type ParsedRequest, SubmissionsSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { BigsdbCurationService } from './bigsdb-curation.service';
import { BigsdbFilesService } from './bigsdb-files.service';
import { BigsdbMessagesService } from './bigsdb-messages.service';
import { BigsdbSubmissionsService } from './bigsdb-submissions.service';

/** submissions.bigsdb-*: BIGSdb curator submissions, their messages, files and curation. */
@Controller()
export class BigsdbSubmissionsController {
  constructor(
    private readonly submissions: BigsdbSubmissionsService,
    private readonly messages: BigsdbMessagesService,
    private readonly files: BigsdbFilesService,
    private readonly curation: BigsdbCurationService,
  ) {}

  @HandleRequest(SubmissionsSubjects.list)
  list(request: ParsedRequest<typeof SubmissionsSubjects.list>) {
    return this.submissions.list(request);
  }
  @HandleRequest(SubmissionsSubjects.create)
  create(request: ParsedRequest<typeof SubmissionsSubjects.create>) {
    return this.submissions.create(request);
  }
  @HandleRequest(SubmissionsSubjects.get)
  get(request: ParsedRequest<typeof SubmissionsSubjects.get>) {
    return this.submissions.get(request);
  }
  @HandleRequest(SubmissionsSubjects.delete)
  delete(request: ParsedRequest<typeof SubmissionsSubjects.delete>) {
    return this.submissions.delete(request);
  }
  @HandleRequest(SubmissionsSubjects.listMessages)
  listMessages(request: ParsedRequest<typeof SubmissionsSubjects.listMessages>) {
    return this.messages.listMessages(request);
  }
  @HandleRequest(SubmissionsSubjects.addMessage)
  addMessage(request: ParsedRequest<typeof SubmissionsSubjects.addMessage>) {
    return this.messages.addMessage(request);
  }
  @HandleRequest(SubmissionsSubjects.listFiles)
  listFiles(request: ParsedRequest<typeof SubmissionsSubjects.listFiles>) {
    return this.files.listFiles(request);
  }
  @HandleRequest(SubmissionsSubjects.uploadFile)
  uploadFile(request: ParsedRequest<typeof SubmissionsSubjects.uploadFile>) {
    return this.files.uploadFile(request);
  }
  @HandleRequest(SubmissionsSubjects.downloadFile)
  downloadFile(request: ParsedRequest<typeof SubmissionsSubjects.downloadFile>) {
    return this.files.downloadFile(request);
  }
  @HandleRequest(SubmissionsSubjects.deleteFile)
  deleteFile(request: ParsedRequest<typeof SubmissionsSubjects.deleteFile>) {
    return this.files.deleteFile(request);
  }
  @HandleRequest(SubmissionsSubjects.curate)
  curate(request: ParsedRequest<typeof SubmissionsSubjects.curate>) {
    return this.curation.curate(request);
  }
}
